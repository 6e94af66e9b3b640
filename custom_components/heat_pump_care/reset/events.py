"""Inputs (events) and outputs (commands) of the safe-reset state machine.

The shell turns Home Assistant happenings into events, and commands into
service calls. Protocol expected from the shell:

* ``RelayReport`` on every state change of the power switch, including to and
  from unavailable (``is_on=None``), while a reset runs or has failed.
  After executing a ``SetRelay``, report the current state only when it
  already is the wanted one (confirms at once a relay that was already on;
  without it the next retry time confirms it). Do not report "off" after a
  switch-on command: the core answers "off" while restoring with another
  switch-on, so a relay that ignores commands would loop.
* ``ThermostatReport`` when the thermostat's availability changes, and once
  with the current availability whenever the phase becomes
  ``waiting_thermostat``.
* ``ErrorCodeReport`` when the unit's error code changes (``None`` = no error).
* ``Tick`` when the one timer at ``state.wake_at`` fires (early or repeated
  ticks are ignored).
* ``Resume`` once after every setup (restart, reload, re-enable) with the
  current states, whatever the phase: it is a no-op when nothing is pending,
  but after ``failed``/``power_not_restored`` or a ``Shutdown`` while power
  was cut it switches the power on and verifies it.
* ``Shutdown`` when the entry is disabled or removed (not on reload or on
  Home Assistant stop: those resume later and keep the original deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from .model import ThermostatSnapshot


@dataclass(slots=True, frozen=True)
class _Event:
    """Base of all events: the moment it happened (timezone-aware)."""

    now: datetime

    def __post_init__(self) -> None:
        """Reject naive datetimes: the core compares instants only."""
        if self.now.tzinfo is None:
            msg = "event time must be timezone-aware"
            raise ValueError(msg)


@dataclass(slots=True, frozen=True)
class Start(_Event):
    """The user asked for a safe reset, with the current states of the unit.

    ``relay_on`` is ``None`` when the power switch is unavailable;
    ``thermostat`` is ``None`` when no climate entity is configured (or it is
    unavailable); ``error_category``/``reset_may_help`` come from the
    catalogue entry of ``error_code``.
    """

    off_minutes: int
    force: bool
    has_power_switch: bool
    relay_on: bool | None
    thermostat: ThermostatSnapshot | None
    error_code: str | None
    error_category: str | None
    reset_may_help: bool | None

    def __post_init__(self) -> None:
        """Reject an off time below one minute."""
        _Event.__post_init__(self)
        if self.off_minutes < 1:
            msg = "off_minutes must be at least 1"
            raise ValueError(msg)


@dataclass(slots=True, frozen=True)
class RelayReport(_Event):
    """The power switch's state: on, off, or ``None`` (unavailable/unknown)."""

    is_on: bool | None


@dataclass(slots=True, frozen=True)
class ThermostatReport(_Event):
    """Whether the thermostat entity is available."""

    available: bool


@dataclass(slots=True, frozen=True)
class ErrorCodeReport(_Event):
    """The unit's current error code (``None`` = no error)."""

    code: str | None


@dataclass(slots=True, frozen=True)
class Tick(_Event):
    """The timer at ``state.wake_at`` fired."""


@dataclass(slots=True, frozen=True)
class Cancel(_Event):
    """The user cancelled the reset: restore power and thermostat at once."""


@dataclass(slots=True, frozen=True)
class Resume(_Event):
    """Sent once after a restart, reload or re-enable with current states.

    ``error_code`` is optional (the unit's current error code); when given
    during the fault watch, a code that appeared while Home Assistant was
    down is judged like a reported one.
    """

    relay_on: bool | None
    thermostat_available: bool
    error_code: str | None = None


@dataclass(slots=True, frozen=True)
class Shutdown(_Event):
    """The config entry is being disabled or removed: emergency restore."""


@dataclass(slots=True, frozen=True)
class Acknowledge(_Event):
    """The user acknowledged the returned fault ``code``: allow resets again."""

    code: str


type Event = (
    Start
    | RelayReport
    | ThermostatReport
    | ErrorCodeReport
    | Tick
    | Cancel
    | Resume
    | Shutdown
    | Acknowledge
)
"""Everything ``step`` accepts."""


@dataclass(slots=True, frozen=True)
class SetThermostatOff:
    """Turn the thermostat off (``hvac_mode: off``)."""


@dataclass(slots=True, frozen=True)
class SetRelay:
    """Switch the power switch on or off."""

    on: bool


@dataclass(slots=True, frozen=True)
class RestoreThermostat:
    """Set the thermostat back to the snapshot (mode, targets, fan mode)."""

    snapshot: ThermostatSnapshot


@dataclass(slots=True, frozen=True)
class Notify:
    """Create a persistent notification of ``kind`` (``power_not_restored``)."""

    kind: str


@dataclass(slots=True, frozen=True)
class RaiseIssue:
    """Create a repair issue of ``kind``.

    Kinds: ``power_not_restored`` (critical) and ``fault_returned`` (with the
    ``code``; the user's acknowledgement is fed back as ``Acknowledge``).
    """

    kind: str
    code: str | None = None


@dataclass(slots=True, frozen=True)
class ClearIssue:
    """Delete the repair issue of ``kind`` (and ``code``, when per code)."""

    kind: str
    code: str | None = None


@dataclass(slots=True, frozen=True)
class FireFault:
    """Fire ``heat_pump_care_fault`` with ``returned_after_reset: true``."""

    code: str


type Command = (
    SetThermostatOff
    | SetRelay
    | RestoreThermostat
    | Notify
    | RaiseIssue
    | ClearIssue
    | FireFault
)
"""Everything ``step`` asks the shell to do, in order."""
