"""Completions: the history of a heat pump's maintenance and what each replaced.

A ``Completion`` is one recorded "done"; the history keeps them sorted by the
date the work was done. An ``UndoRecord`` remembers what the last completion
of a task replaced, so that completion can be taken back (see ``undo.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .clock import as_utc
from .errors import CorruptStateError
from .runtime import parse_date, parse_instant, parse_seconds

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date, datetime

HISTORY_LIMIT = 50
"""Completions kept per task and heat pump (the oldest of a task goes first).

Per task, so a weekly task of the owner's does not push the yearly service
out of the logbook: 50 filter changes are more than eight years.
"""


def parse_task(value: object, what: str) -> str:
    """Parse a task key (any non-empty string); raise ``CorruptStateError``."""
    if not isinstance(value, str) or not value:
        raise CorruptStateError(f"{what}: task is not a key: {value!r}")
    return value


@dataclass(slots=True, frozen=True)
class Completion:
    """One recorded completion of a task.

    ``done_on`` is the local date the work was done (may be back-filled),
    ``recorded_at`` the aware instant it was recorded, ``source`` who recorded
    it (free text chosen by the shell, e.g. ``button``, ``service``, ``todo``),
    ``note`` what the owner wrote about it (``None``: nothing).
    """

    task: str
    done_on: date
    recorded_at: datetime
    source: str
    note: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Return a JSON-safe representation."""
        return {
            "task": str(self.task),
            "done_on": self.done_on.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "source": self.source,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Completion:
        """Rebuild a completion saved by ``to_dict``; raise ``CorruptStateError``."""
        if not isinstance(data, Mapping):
            raise CorruptStateError("completion is not a mapping")
        try:
            task, done_on, recorded_at, source = (
                data["task"],
                data["done_on"],
                data["recorded_at"],
                data["source"],
            )
        except KeyError as err:
            raise CorruptStateError(f"completion: missing {err}") from None
        note = data.get("note")
        if not isinstance(source, str) or not isinstance(note, str | None):
            raise CorruptStateError(f"completion: source or note is not text: {data}")
        return cls(
            task=parse_task(task, "completion"),
            done_on=parse_date(done_on, "completion"),
            recorded_at=parse_instant(recorded_at, "completion"),
            source=source,
            note=note,
        )


@dataclass(slots=True, frozen=True)
class UndoRecord:
    """What the last completion of a task replaced, to take it back.

    ``previous_done``, ``previous_notified`` and ``previous_snooze`` are the
    task's ``last_done``, ``notified_due`` and ``snoozed`` date before the
    completion (``None``: there was none).
    For a filter change, ``runtime_before`` is the runtime counter (seconds)
    before the completion restarted it and ``runtime_after`` the counter
    right after; running time counted since is kept on an undo.
    """

    completion: Completion
    previous_done: date | None
    previous_notified: date | None = None
    previous_snooze: date | None = None
    runtime_before: float | None = None
    runtime_after: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe representation."""
        return {
            "completion": self.completion.to_dict(),
            "previous_done": _iso(self.previous_done),
            "previous_notified": _iso(self.previous_notified),
            "previous_snooze": _iso(self.previous_snooze),
            "runtime_before": self.runtime_before,
            "runtime_after": self.runtime_after,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UndoRecord:
        """Rebuild a record saved by ``to_dict``; raise ``CorruptStateError``."""
        if not isinstance(data, Mapping) or "completion" not in data:
            raise CorruptStateError("undo record is not a mapping with a completion")

        def optional[T](key: str, parse: Callable[[object, str], T]) -> T | None:
            value = data.get(key)
            return None if value is None else parse(value, f"undo.{key}")

        return cls(
            completion=Completion.from_dict(data["completion"]),
            previous_done=optional("previous_done", parse_date),
            previous_notified=optional("previous_notified", parse_date),
            previous_snooze=optional("previous_snooze", parse_date),
            runtime_before=optional("runtime_before", parse_seconds),
            runtime_after=optional("runtime_after", parse_seconds),
        )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def history_key(completion: Completion) -> tuple[date, datetime]:
    """Sort key of the history: done date, then the instant recorded."""
    return (completion.done_on, as_utc(completion.recorded_at))


def record(history: list[Completion], completion: Completion) -> None:
    """Insert ``completion`` into the sorted ``history``; cap its task's entries."""
    bisect.insort(history, completion, key=history_key)
    history[:] = capped(history)


def capped(history: list[Completion]) -> list[Completion]:
    """Return the sorted ``history`` with at most ``HISTORY_LIMIT`` per task."""
    kept: list[Completion] = []
    seen: dict[str, int] = {}
    for completion in reversed(history):
        count = seen.get(completion.task, 0)
        if count < HISTORY_LIMIT:
            seen[completion.task] = count + 1
            kept.append(completion)
    kept.reverse()
    return kept
