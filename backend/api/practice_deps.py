"""The practice extension's objects for one backend (issue 18), made on first use and kept
in ``Services.extras``, and the interview socket's hook that keeps a spoken answer."""

from __future__ import annotations

import logging
import threading
from typing import Annotated

from fastapi import Depends, Request

from backend.api.services import Services
from backend.engine.machine import InterviewEngine
from backend.engine.state import InterviewState
from backend.practice.service import PracticeService
from backend.recordings import RecordingLibrary

log = logging.getLogger(__name__)
_making = threading.Lock()
RECORDINGS_FOLDER = "recordings"


def practice_service(services: Services) -> PracticeService:
    """The backend's PracticeService; the first call also sweeps recording folders whose
    session is gone (a crash between deleting a session's rows and its files)."""
    with _making:
        service = services.extras.get("practice")
        if service is None:
            library = RecordingLibrary(services.settings.data_dir / RECORDINGS_FOLDER)
            interviewer = services.interviewer
            service = PracticeService(services.store, interviewer, library,
                                      bank=lambda: _bank(interviewer))
            library.sweep(service.data.owner_ids())
            services.extras["practice"] = service
        return service


def _bank(interviewer: object):
    from backend.interviewer.bank import default_bank

    builtin = getattr(interviewer, "builtin", interviewer)
    return getattr(builtin, "bank", None) or default_bank()


def get_practice(request: Request) -> PracticeService:
    return practice_service(request.app.state.services)


PracticeDep = Annotated[PracticeService, Depends(get_practice)]


def forget_recordings(services: Services, owner_id: str | None) -> None:
    """Delete a session's recording files (None: every recording), after its rows went."""
    library = practice_service(services).recordings
    if owner_id is None:
        library.delete_all()
    else:
        library.delete_owner(owner_id)


# --- the interview socket's hook ------------------------------------------------------------
def answering_key(state: InterviewState) -> tuple[int, int] | None:
    """(question number, follow-up number) of what the next answer answers, if anything."""
    turn = state.current
    if turn is None or state.awaiting not in ("answer", "followup"):
        return None
    return turn.number, len(turn.followups) if state.awaiting == "followup" else 0


async def keep_answer_audio(services: Services, engine: InterviewEngine,
                            key: tuple[int, int], audio: bytes) -> None:
    """Store a spoken answer's audio once the engine has committed the answer it became."""
    number, followup = key
    turn = next((t for t in engine.state.turns if t.number == number), None)
    if turn is None or len(turn.answers) <= followup:
        return  # not taken as an answer (e.g. a request to skip)
    try:
        await services.run(practice_service(services).keep_interview_recording,
                           engine.session_id, number, followup, audio)
    except Exception:  # noqa: BLE001 - a recording that cannot be kept never stops the interview
        log.exception("interview %s: the answer's recording was not kept", engine.session_id[:8])
