"""Voice mode over the interview WebSocket (extension; see docs/protocol.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backend.engine.machine import event

if TYPE_CHECKING:
    from backend.api.ws import InterviewSocket


async def toggle_voice(socket: InterviewSocket, data: dict[str, Any]) -> None:
    enabled = bool(data.get("enabled"))
    await socket.conn.send(event(
        "voice_status", enabled=False, requested=enabled,
        stt={"state": "unavailable", "reason": "Voice mode is not wired into this build yet."},
        tts={"state": "unavailable", "reason": "Voice mode is not wired into this build yet."}))
