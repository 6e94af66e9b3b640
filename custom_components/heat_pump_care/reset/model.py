"""Data of the safe-reset core: phases, settings, snapshots, records and state.

Everything here is immutable and free of I/O. Times are timezone-aware
datetimes; the serialised form (``to_dict``) holds only JSON types so the shell
can store it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .parse import (
    iso,
    read_bool,
    read_dt,
    read_int,
    read_mapping,
    read_opt_bool,
    read_opt_dt,
    read_opt_float,
    read_opt_str,
    read_phase,
    require_aware,
)
from .phases import ACTIVE_PHASES, POWER_CUT_PHASES, TERMINAL_PHASES, Phase

HISTORY_LIMIT = 20
"""How many finished resets ``ResetState.history`` keeps."""


ROLLING_WINDOW = timedelta(hours=24)
"""The window of ``max_resets_per_day``."""


def code_key(code: str | None) -> str | None:
    """Return the comparable form of an error code (``None`` for no code)."""
    if code is None:
        return None
    cleaned = code.strip().upper()
    return cleaned or None


@dataclass(slots=True, frozen=True)
class ResetSettings:
    """Tunables of the reset; the first two come from the options flow.

    Defaults of the timing constants:

    * ``relay_verify_seconds`` 15 s: how long to wait for the relay to report
      "off" after a switch-off command before sending it again;
    * ``relay_off_attempts`` 3: switch-off commands before the reset is
      aborted (power is then switched on again and the reset ends ``failed``
      with reason ``relay_not_off``);
    * ``restore_retry_delays`` (0, 10, 30, 60) s: when, counted from the start
      of the restore, the switch-on command is (re)sent: 4 attempts in a minute;
    * ``restore_give_up_seconds`` 90 s: without a confirmed "on" by then the
      reset ends ``failed`` / ``power_not_restored`` (notification + critical
      repair issue); the core still switches on whenever the relay reports off;
    * ``thermostat_wait_minutes`` 15: how long to wait, after power is back,
      for the thermostat entity to become available to restore it.
    """

    max_resets_per_day: int = 2
    fault_watch_minutes: int = 30
    relay_verify_seconds: float = 15.0
    relay_off_attempts: int = 3
    restore_retry_delays: tuple[float, ...] = (0.0, 10.0, 30.0, 60.0)
    restore_give_up_seconds: float = 90.0
    thermostat_wait_minutes: float = 15.0

    def __post_init__(self) -> None:
        """Reject settings that would break the timing guarantees."""
        if self.max_resets_per_day < 1:
            msg = "max_resets_per_day must be at least 1"
            raise ValueError(msg)
        if self.fault_watch_minutes < 0:
            msg = "fault_watch_minutes must not be negative"
            raise ValueError(msg)
        if self.relay_verify_seconds <= 0 or self.relay_off_attempts < 1:
            msg = "relay verification needs a positive time and attempt count"
            raise ValueError(msg)
        delays = self.restore_retry_delays
        if not delays or delays[0] != 0 or list(delays) != sorted(delays):
            msg = "restore_retry_delays must start at 0 and be sorted"
            raise ValueError(msg)
        if self.restore_give_up_seconds <= delays[-1]:
            msg = "restore_give_up_seconds must follow the last retry"
            raise ValueError(msg)
        if self.thermostat_wait_minutes <= 0:
            msg = "thermostat_wait_minutes must be positive"
            raise ValueError(msg)

    @property
    def relay_verify(self) -> timedelta:
        """Time to wait for a relay report after a switch-off command."""
        return timedelta(seconds=self.relay_verify_seconds)

    @property
    def restore_give_up(self) -> timedelta:
        """Time from the first switch-on command to ``power_not_restored``."""
        return timedelta(seconds=self.restore_give_up_seconds)

    @property
    def thermostat_wait(self) -> timedelta:
        """Time to wait for the thermostat after power is back."""
        return timedelta(minutes=self.thermostat_wait_minutes)

    @property
    def fault_watch(self) -> timedelta:
        """Time the error code is watched after the reset."""
        return timedelta(minutes=self.fault_watch_minutes)


# --- parsing helpers (serialised state is untrusted input) -------------------


@dataclass(slots=True, frozen=True)
class ThermostatSnapshot:
    """The thermostat settings to restore after the power cycle."""

    hvac_mode: str | None = None
    temperature: float | None = None
    target_temp_low: float | None = None
    target_temp_high: float | None = None
    fan_mode: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-compatible dict."""
        return {
            "hvac_mode": self.hvac_mode,
            "temperature": self.temperature,
            "target_temp_low": self.target_temp_low,
            "target_temp_high": self.target_temp_high,
            "fan_mode": self.fan_mode,
        }

    @classmethod
    def from_dict(cls, data: object) -> ThermostatSnapshot:
        """Build a snapshot from ``to_dict`` output; ``ValueError`` if invalid."""
        raw = read_mapping(data, "thermostat")
        return cls(
            hvac_mode=read_opt_str(raw, "hvac_mode"),
            temperature=read_opt_float(raw, "temperature"),
            target_temp_low=read_opt_float(raw, "target_temp_low"),
            target_temp_high=read_opt_float(raw, "target_temp_high"),
            fan_mode=read_opt_str(raw, "fan_mode"),
        )


@dataclass(slots=True, frozen=True)
class ResetRecord:
    """One finished reset, kept in ``ResetState.history``."""

    started_at: datetime
    ended_at: datetime
    outcome: Phase
    error_code_before: str | None = None
    off_minutes: int = 0
    forced: bool = False
    reason: str | None = None
    power_was_cut: bool = True

    def __post_init__(self) -> None:
        """Check that the times are aware and the outcome is terminal."""
        require_aware(self.started_at, "started_at")
        require_aware(self.ended_at, "ended_at")
        if self.outcome not in TERMINAL_PHASES or self.outcome is Phase.IDLE:
            msg = f"{self.outcome} is not an outcome"
            raise ValueError(msg)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-compatible dict."""
        return {
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "outcome": self.outcome.value,
            "error_code_before": self.error_code_before,
            "off_minutes": self.off_minutes,
            "forced": self.forced,
            "reason": self.reason,
            "power_was_cut": self.power_was_cut,
        }

    @property
    def counts_towards_limit(self) -> bool:
        """Whether it counts for ``max_resets_per_day``.

        A reset cancelled before the power could have gone (the switch never
        reported off or unavailable) did not power-cycle the unit.
        """
        return self.outcome is not Phase.CANCELLED or self.power_was_cut

    @classmethod
    def from_dict(cls, data: object) -> ResetRecord:
        """Build a record from ``to_dict`` output; ``ValueError`` if invalid."""
        raw = read_mapping(data, "history entry")
        return cls(
            started_at=read_dt(raw, "started_at"),
            ended_at=read_dt(raw, "ended_at"),
            outcome=read_phase(raw.get("outcome")),
            error_code_before=read_opt_str(raw, "error_code_before"),
            off_minutes=read_int(raw, "off_minutes", 0),
            forced=read_bool(raw, "forced", False),
            reason=read_opt_str(raw, "reason"),
            # Stored before this was recorded: counted, as it was then.
            power_was_cut=read_bool(raw, "power_was_cut", True),
        )


@dataclass(slots=True, frozen=True)
class ResetState:
    """The whole persisted state of the safe reset of one heat pump.

    ``deadline`` is when power is to be restored (set once the relay confirmed
    "off"); ``wake_at`` is the single timer the shell keeps (``None`` = none);
    ``attempt`` counts relay commands of the current phase (switch-off
    commands while ``stopping``, switch-on commands while ``restoring``).
    ``relay_on`` is the last relay state reported during the reset,
    ``error_code_seen`` an error code reported while waiting for the
    thermostat (judged when monitoring starts), and ``restore_on_resume``
    marks a reset ended by ``Shutdown`` while power was cut: its switch-on
    was not verified, so the next ``Resume`` verifies it. ``power_was_cut``
    says the switch reported off (or unavailable) after the switch-off
    command: the unit may have lost power, so the reset counts towards the
    daily limit even when cancelled.
    """

    phase: Phase = Phase.IDLE
    started_at: datetime | None = None
    off_minutes: int = 0
    forced: bool = False
    deadline: datetime | None = None
    wake_at: datetime | None = None
    attempt: int = 0
    restore_started_at: datetime | None = None
    thermostat: ThermostatSnapshot | None = None
    thermostat_restored: bool = False
    error_code_before: str | None = None
    cancel_requested: bool = False
    monitor_until: datetime | None = None
    reason: str | None = None
    history: tuple[ResetRecord, ...] = ()
    blocked_codes: frozenset[str] = field(default_factory=frozenset)
    relay_on: bool | None = None
    error_code_seen: str | None = None
    restore_on_resume: bool = False
    power_was_cut: bool = False

    def __post_init__(self) -> None:
        """Check the invariants every state must hold."""
        for name in (
            "started_at",
            "deadline",
            "wake_at",
            "restore_started_at",
            "monitor_until",
        ):
            require_aware(getattr(self, name), name)
        if self.off_minutes < 0 or self.attempt < 0:
            msg = "off_minutes and attempt must not be negative"
            raise ValueError(msg)
        if len(self.history) > HISTORY_LIMIT:
            msg = f"history holds at most {HISTORY_LIMIT} records"
            raise ValueError(msg)
        if self.phase in ACTIVE_PHASES and (
            self.started_at is None or self.wake_at is None
        ):
            msg = f"{self.phase} needs started_at and wake_at"
            raise ValueError(msg)
        required: dict[Phase, tuple[str, object]] = {
            Phase.POWER_OFF: ("deadline", self.deadline),
            Phase.RESTORING: ("restore_started_at", self.restore_started_at),
            Phase.WAITING_THERMOSTAT: ("thermostat", self.thermostat),
            Phase.MONITORING: ("monitor_until", self.monitor_until),
        }
        if self.phase in required and required[self.phase][1] is None:
            msg = f"{self.phase} needs {required[self.phase][0]}"
            raise ValueError(msg)

    @classmethod
    def initial(cls) -> ResetState:
        """Return the state of a heat pump that was never reset."""
        return cls()

    @property
    def power_cut(self) -> bool:
        """Whether the heat pump may be without power because of the reset."""
        return self.phase in POWER_CUT_PHASES

    @property
    def running(self) -> bool:
        """Whether a reset is in progress."""
        return self.phase in ACTIVE_PHASES

    @property
    def last_outcome(self) -> str | None:
        """The outcome of the last finished reset, or ``None``."""
        return self.history[-1].outcome.value if self.history else None

    def resets_in_last_24h(self, now: datetime) -> int:
        """Count resets started in the 24 hours before ``now`` (running included).

        A reset cancelled before it cut the power is not counted.
        """
        return len(self.counted_starts(now))

    def counted_starts(self, now: datetime) -> list[datetime]:
        """Start times, oldest first, of the resets counted at ``now``."""
        since = now - ROLLING_WINDOW
        running = self.started_at if self.running else None
        starts = [
            record.started_at
            for record in self.history
            if record.started_at > since
            and record.started_at != running
            and record.counts_towards_limit
        ]
        if running is not None and running > since:
            starts.append(running)  # counted once, even when re-opened
        return sorted(starts)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-compatible dict (for the shell's ``Store``)."""
        return {
            "phase": self.phase.value,
            "started_at": iso(self.started_at),
            "off_minutes": self.off_minutes,
            "forced": self.forced,
            "deadline": iso(self.deadline),
            "wake_at": iso(self.wake_at),
            "attempt": self.attempt,
            "restore_started_at": iso(self.restore_started_at),
            "thermostat": None
            if self.thermostat is None
            else self.thermostat.to_dict(),
            "thermostat_restored": self.thermostat_restored,
            "error_code_before": self.error_code_before,
            "cancel_requested": self.cancel_requested,
            "monitor_until": iso(self.monitor_until),
            "reason": self.reason,
            "history": [record.to_dict() for record in self.history],
            "blocked_codes": sorted(self.blocked_codes),
            "relay_on": self.relay_on,
            "error_code_seen": self.error_code_seen,
            "restore_on_resume": self.restore_on_resume,
            "power_was_cut": self.power_was_cut,
        }

    @classmethod
    def from_dict(cls, data: object) -> ResetState:
        """Build a state from ``to_dict`` output.

        Missing optional keys take their defaults; anything malformed or
        inconsistent raises ``ValueError``.
        """
        raw = read_mapping(data, "reset state")
        history_raw = raw.get("history", [])
        blocked_raw = raw.get("blocked_codes", [])
        if not isinstance(history_raw, list) or not isinstance(blocked_raw, list):
            msg = "history and blocked_codes must be lists"
            raise ValueError(msg)  # noqa: TRY004 - the contract is ValueError
        if not all(isinstance(code, str) for code in blocked_raw):
            msg = "blocked_codes must hold strings"
            raise ValueError(msg)
        thermostat_raw, phase = raw.get("thermostat"), read_phase(raw.get("phase"))
        return cls(
            phase=phase,
            started_at=read_opt_dt(raw, "started_at"),
            off_minutes=read_int(raw, "off_minutes", 0),
            forced=read_bool(raw, "forced", False),
            deadline=read_opt_dt(raw, "deadline"),
            wake_at=read_opt_dt(raw, "wake_at"),
            attempt=read_int(raw, "attempt", 0),
            restore_started_at=read_opt_dt(raw, "restore_started_at"),
            thermostat=None
            if thermostat_raw is None
            else ThermostatSnapshot.from_dict(thermostat_raw),
            thermostat_restored=read_bool(raw, "thermostat_restored", False),
            error_code_before=read_opt_str(raw, "error_code_before"),
            cancel_requested=read_bool(raw, "cancel_requested", False),
            monitor_until=read_opt_dt(raw, "monitor_until"),
            reason=read_opt_str(raw, "reason"),
            history=tuple(
                ResetRecord.from_dict(item) for item in history_raw[-HISTORY_LIMIT:]
            ),
            blocked_codes=frozenset(
                code for code in map(code_key, blocked_raw) if code is not None
            ),
            relay_on=read_opt_bool(raw, "relay_on"),
            error_code_seen=read_opt_str(raw, "error_code_seen"),
            restore_on_resume=read_bool(raw, "restore_on_resume", False),
            # Stored before this was recorded: a reset counts, as it did then.
            power_was_cut=read_bool(raw, "power_was_cut", phase is not Phase.IDLE),
        )
