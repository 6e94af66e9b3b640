"""What a failed end-to-end check raises, shared by the scenario's modules."""

from __future__ import annotations


class CheckError(Exception):
    """A check did not hold; the message says what was seen."""


def expect(condition: object, message: str) -> None:
    """Raise ``CheckError(message)`` unless ``condition`` holds."""
    if not condition:
        raise CheckError(message)
