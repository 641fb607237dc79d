"""An Interviewer that delegates to the one currently configured (built-in or LLM).

Engines hold the router, so a settings change takes effect at a live interview's next
step. The built-in interviewer is always there: it is the default and every LLM step
falls back to it.
"""

from __future__ import annotations

import threading
from concurrent.futures import Executor
from dataclasses import replace
from typing import Any

from backend.interviewer.domain import (FinalReport, FollowUp, Grade, InterviewContext, Question,
                                        ResumeAnalysis)
from backend.interviewer.interface import Interviewer
from backend.interviewer.llm.config import LLMConfig


class InterviewerRouter(Interviewer):
    def __init__(self, builtin: Interviewer, config: LLMConfig | None = None, *,
                 background: Executor | None = None):
        self.builtin = builtin
        self._background = background  # for the LLM interviewer's work ahead of need
        self._lock = threading.Lock()
        self._active: Interviewer = builtin
        self._config = LLMConfig()
        self._local: Any = None  # a LocalModelServer while one serves a GGUF file
        self.configure(config or LLMConfig())

    @property
    def config(self) -> LLMConfig:
        return self._config

    @property
    def active(self) -> Interviewer:
        return self._active

    @property
    def mode(self) -> str:
        return getattr(self._active, "mode", "builtin")

    def local_base_url(self) -> str | None:
        local = self._local
        return local.base_url if local is not None and local.running else None

    def configure(self, config: LLMConfig) -> None:
        """Switch interviewer. May be slow with a GGUF file (the model loads); call it
        off the event loop. Raises ConfigError if the file cannot be served."""
        config = config.validated()
        effective = config
        if config.mode == "openai" and config.gguf_path:
            # The in-process server's random key goes to this client only (never stored).
            url, key, model = self._serve(config.gguf_path)
            effective = replace(config, base_url=url, api_key=key, model=config.model or model)
        else:
            self._stop_local()
        if config.mode == "builtin":
            new: Interviewer = self.builtin
        else:
            from backend.interviewer.llm.interviewer import LLMInterviewer

            new = LLMInterviewer(effective, self.builtin, background=self._background)
        with self._lock:
            old, self._active, self._config = self._active, new, config
        if old is not new:
            old.cancel()

    def _serve(self, gguf_path: str) -> tuple[str, str, str]:
        """The in-process server for ``gguf_path``: its base URL, API key and model id."""
        from backend.interviewer.llm.local_server import LocalModelServer

        if self._local is not None and str(self._local.gguf_path) != gguf_path:
            self._stop_local()
        if self._local is None:
            self._local = LocalModelServer(gguf_path)
        url = self._local.start()
        return url, self._local.api_key, self._local.model_id

    def _stop_local(self) -> None:
        local, self._local = self._local, None
        if local is not None:
            local.stop()

    def cancel(self) -> None:
        """The candidate ended the interview: abandon model calls in flight."""
        self._active.cancel()

    def resume(self) -> None:
        """The end path runs: model calls are allowed again (for the report)."""
        self._active.resume()

    def close(self) -> None:
        self._active.cancel()
        self._stop_local()

    # --- the Interviewer protocol, delegated -------------------------------------------
    def analyse_resume(self, resume_text: str, job_description: str = "",
                       role: str = "") -> ResumeAnalysis:
        return self._active.analyse_resume(resume_text, job_description, role)

    def intro(self, context: InterviewContext) -> str:
        return self._active.intro(context)

    def next_question(self, context: InterviewContext) -> Question | None:
        return self._active.next_question(context)

    def grade(self, question: Question, answer: str, context: InterviewContext,
              followup: FollowUp | None = None) -> Grade:
        return self._active.grade(question, answer, context, followup)

    def report(self, context: InterviewContext) -> FinalReport:
        return self._active.report(context)

