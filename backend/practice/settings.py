"""The candidate's practice settings, kept in the store's settings table.

`progress` (on by default: the candidate's own machine) lets completed interviews and
practice answers feed the progress charts, the weak topics practice starts from and the
review schedule. Switched off, none of that is read. `progress_since` is set when the
candidate deletes their progress: interviews that ended before it stay in History but no
longer count. `keep_recordings` (on by default) keeps spoken answers, compressed, with
their session.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

SETTINGS_KEY = "practice"


@dataclass(frozen=True)
class PracticeSettings:
    progress: bool = True
    keep_recordings: bool = True
    progress_since: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_settings(store: Any) -> PracticeSettings:
    stored = store.get_setting(SETTINGS_KEY, {}) or {}
    return PracticeSettings(progress=bool(stored.get("progress", True)),
                            keep_recordings=bool(stored.get("keep_recordings", True)),
                            progress_since=stored.get("progress_since"))


def save_settings(store: Any, settings: PracticeSettings) -> PracticeSettings:
    store.set_setting(SETTINGS_KEY, settings.to_dict())
    return settings


def update_settings(store: Any, **changes: Any) -> PracticeSettings:
    return save_settings(store, replace(load_settings(store), **changes))
