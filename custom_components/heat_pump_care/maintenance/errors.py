"""Errors raised by the maintenance core."""

from __future__ import annotations


class FutureDateError(ValueError):
    """A completion date lies after the local today."""


class CorruptStateError(ValueError):
    """Stored maintenance data cannot be read back."""


class NothingToUndoError(LookupError):
    """No completion of the task can be undone (none, or not recorded today)."""


class NotFutureDateError(ValueError):
    """A date that must lie after the local today does not (a snooze)."""


class UnknownTaskError(LookupError):
    """The task is not one of the heat pump's enabled tasks."""
