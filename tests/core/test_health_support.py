"""Shared drivers of the health tests: a heat pump with a shell's timer.

``Unit`` plays the Home Assistant shell: it feeds samples at explicit
instants, calls ``assess`` after every input and at every instant
``next_change`` asks for (exactly one timer, no polling), and keeps the
reports so a test can ask when a problem switched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
import json
from zoneinfo import ZoneInfo

from custom_components.heat_pump_care.health import (
    HealthReport,
    HealthSettings,
    HealthState,
    Sample,
    assess,
    next_change,
    observe,
    observe_outdoor,
    record_reset,
    relearn,
    suspend,
)

AMS = ZoneInfo("Europe/Amsterdam")
DEFAULTS = HealthSettings()


def local(*fields: int, tz: tzinfo = AMS) -> datetime:
    """Aware datetime from local wall-clock fields (year .. second)."""
    year, month, day, *clock = fields
    hour, minute, second = (*clock, 0, 0, 0)[:3]
    return datetime(year, month, day, hour, minute, second, tzinfo=tz)


def sample(
    action: str | None,
    *,
    room: float | None = 20.0,
    target: float | None = 21.0,
    cool_target: float | None = None,
    mode: str | None = "heat",
) -> Sample:
    """A thermostat reading; the cooling target defaults to the heating one."""
    cooling = target if cool_target is None else cool_target
    return Sample(action, mode, room, target, cooling)


def round_trip(state: HealthState) -> HealthState:
    """What a restart reads back: the stored form through JSON."""
    return HealthState.from_dict(json.loads(json.dumps(state.to_dict())))


@dataclass
class Unit:
    """A heat pump watched by a shell that follows ``next_change``."""

    now: datetime
    tz: tzinfo = AMS
    settings: HealthSettings = DEFAULTS
    state: HealthState = field(default_factory=HealthState.empty)
    reports: list[tuple[datetime, HealthReport]] = field(default_factory=list)
    wakeups: list[datetime] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.now = self.now.astimezone(UTC)

    def _assess(self) -> HealthReport:
        report = assess(self.state, self.now, self.tz, self.settings)
        self.reports.append((self.now, report))
        return report

    def wait(self, **delta: float) -> HealthReport:
        """Let real time pass, firing the shell's timer whenever it is due."""
        until = self.now + timedelta(**delta)
        while True:
            due = next_change(self.state, self.now, self.tz, self.settings)
            assert due is not None
            assert due > self.now
            if due > until:
                break
            self.now = due
            self.wakeups.append(due)
            self._assess()
        self.now = until
        return self._assess()

    def set(self, action: str | None, **reading: float | str | None) -> HealthReport:
        """The thermostat reports ``action`` (and room/target) now."""
        observe(self.state, sample(action, **reading), self.now, self.tz)  # type: ignore[arg-type]
        return self._assess()

    def outdoor(self, temperature: float | None) -> HealthReport:
        observe_outdoor(self.state, temperature, self.now, self.tz)
        return self._assess()

    def reset(self) -> HealthReport:
        record_reset(self.state, self.now)
        return self._assess()

    def service(self) -> HealthReport:
        relearn(self.state, self.now, self.tz)
        return self._assess()

    def restart(self, *, down: timedelta = timedelta(0), clean: bool = True) -> None:
        """Home Assistant stops (``suspend`` unless it crashes) and starts again."""
        if clean:
            suspend(self.state, self.now, self.tz)
        self.state = round_trip(self.state)
        self.now += down

    @property
    def report(self) -> HealthReport:
        return self._assess()

    def first(self, flag: str, value: bool = True) -> datetime | None:
        """When a report first showed ``flag`` at ``value``."""
        for at, report in self.reports:
            if getattr(report, flag) is value:
                return at
        return None


def test_unit_follows_local_wall_clock() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    assert unit.now == datetime(2025, 1, 15, 5, tzinfo=UTC)
