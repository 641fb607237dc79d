"""A tiny OpenAI-compatible chat server for tests, scripted reply by reply."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from backend.config import Settings
from backend.server import EmbeddedServer

NARRATIVE = "FAKE NARRATIVE: you explained your reasoning clearly; practise naming trade-offs."


@dataclass
class Reply:
    """One scripted reply: ``kind`` is ok, length, invalid, schema_violation, looping, slow
    or status."""

    kind: str = "ok"
    delay_s: float = 0.0
    status: int = 500


@dataclass
class FakeLLM:
    reject_json_schema: bool = False
    scores: tuple[int, int, int] = (10, 10, 10)
    models: list[str] = field(default_factory=lambda: ["fake-model", "other-model"])
    script: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: Reply = field(default_factory=Reply)
    asked: int = 0

    def then(self, *replies: Reply) -> FakeLLM:
        self.script.extend(replies)
        return self

    def output_name(self, body: dict[str, Any]) -> str:
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            return fmt["json_schema"]["name"]
        system = body["messages"][0]["content"]
        for name in ("QuestionOut", "GradeOut", "ReportOut"):
            if f'"title":"{name}"' in system:
                return name
        return "unknown"

    def valid(self, name: str) -> dict[str, Any]:
        if name == "QuestionOut":
            self.asked += 1
            return {"question": f"Question {self.asked}: how would you index the orders table "
                                "in PostgreSQL, and what does each index cost?",
                    "explanation": "This tests indexing trade-offs.",
                    "key_points": [
                        {"point": "B-tree indexes speed up lookups", "phrasings": ["b-tree", "lookup"],
                         "followup": "How does a B-tree index speed up a lookup?"},
                        {"point": "Every index slows down writes", "phrasings": ["slower writes",
                                                                                  "write cost"],
                         "followup": "What does each extra index cost on writes?"}],
                    "model_answer": "A b-tree index on customer_id makes each lookup logarithmic; "
                                    "the write cost is that every insert updates it too."}
        if name == "GradeOut":
            t, d, c = self.scores
            return {"technical": t, "design": d, "communication": c,
                    "feedback": "FAKE FEEDBACK: specific and fair.",
                    "strengths": ["Named the index type"], "improvements": ["Quantify the cost"],
                    "followup": "FAKE FOLLOW-UP: what would you measure first?"}
        return {"narrative": NARRATIVE}

    async def chat(self, body: dict[str, Any]) -> JSONResponse:
        self.requests.append(body)
        if self.reject_json_schema and (body.get("response_format") or {}).get("type") == "json_schema":
            return JSONResponse({"error": {"message": "response_format json_schema unsupported"}},
                                status_code=400)
        reply = self.script.popleft() if self.script else self.default
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.kind == "status":
            return JSONResponse({"error": {"message": "boom"}}, status_code=reply.status)
        content = json.dumps(self.valid(self.output_name(body)))
        finish = "stop"
        if reply.kind == "length":
            content, finish = content[: len(content) // 2], "length"
        elif reply.kind == "invalid":
            content = "Sure! Here is the JSON you asked for: {not json"
        elif reply.kind == "schema_violation":
            content = json.dumps({"technical": 42, "narrative": ""})
        elif reply.kind == "looping":  # valid JSON whose text loops, as SmolLM2's did
            loop = "I had to debug a 502 error in a 1000-fold scale. "
            content = json.dumps({**self.valid(self.output_name(body)), "narrative": loop * 3})
        return JSONResponse({"id": "x", "object": "chat.completion", "choices": [
            {"index": 0, "finish_reason": finish,
             "message": {"role": "assistant", "content": content}}]})

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": m, "object": "model"} for m in self.models]}

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> JSONResponse:
            return await self.chat(await request.json())

        return app


class FakeServer:
    def __init__(self, fake: FakeLLM, data_dir: Path):
        self.fake = fake
        self._server = EmbeddedServer(Settings(data_dir=data_dir, port=0),
                                      app_factory=lambda _s: fake.app()).start()
        self.base_url = self._server.base_url + "/v1"

    def stop(self) -> None:
        self._server.stop()
