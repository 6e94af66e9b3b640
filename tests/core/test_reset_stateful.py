"""Hypothesis stateful test: a simulated shell drives the reset core.

The simulation has a clock, a relay that may ignore commands or be
unavailable for a while, a thermostat powered by the heat pump (it drops out
with the power and comes back after a delay), an error-code source, users who
start/cancel/acknowledge, and Home Assistant restarts and entry
disable/re-enable cycles that persist the state through ``to_dict`` / JSON /
``from_dict`` and send ``Resume``.

Invariants: the relay is never left off by us past the time power must be
back (deadline, earlier after a cancel, later only when Home Assistant was
down) plus ``restore_give_up_seconds``, unless the relay misbehaved, and then
the reset is ``failed`` / ``power_not_restored`` with a notification and a
critical issue raised, and every "off" report is answered with "on"; power is
never cut without a deadline no longer than asked; an active phase always has
a wake-up time in the future.
"""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta
import json

from hypothesis import HealthCheck, settings as hyp_settings, strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from custom_components.heat_pump_care.reset import (
    ACTIVE_PHASES,
    Acknowledge,
    Cancel,
    ClearIssue,
    Command,
    ErrorCodeReport,
    Event,
    Notify,
    Phase,
    RaiseIssue,
    RelayReport,
    ResetRefused,
    ResetSettings,
    ResetState,
    RestoreThermostat,
    Resume,
    SetRelay,
    SetThermostatOff,
    Shutdown,
    Start,
    ThermostatReport,
    ThermostatSnapshot,
    Tick,
    step,
)

T0 = datetime(2025, 1, 15, 6, 0, tzinfo=UTC)
SNAPSHOT = ThermostatSnapshot("heat", 21.0, None, None, "auto")
CODES = (None, "E1", "u4", "L5")


class ResetShellSimulation(RuleBasedStateMachine):
    """The shell of the integration, with a physical world around it."""

    def __init__(self) -> None:
        super().__init__()
        self.settings = ResetSettings()
        self.now = T0
        self.state = ResetState.initial()
        self.events: deque[Event] = deque()
        self.ha_running = True
        # The world.
        self.relay_on = True
        self.relay_available = True
        self.relay_back_at: datetime | None = None
        self.ignore_budget = 0
        self.thermostat_available = True
        self.thermostat_back_at: datetime | None = None
        self.thermostat_boot = timedelta(minutes=2)
        self.error_code: str | None = None
        self.report_after_command = False
        # Bookkeeping for the invariants.
        self.cut_at: datetime | None = None
        self.must_be_on_by: datetime | None = None
        self.relay_misbehaved = False
        self.alarmed_reset: datetime | None = None
        self.restores_this_reset = 0

    # --- setup --------------------------------------------------------------

    @initialize(
        fault_watch=st.sampled_from([0, 30, 240]),
        boot_minutes=st.sampled_from([0, 2, 10, 20]),
        report_after_command=st.booleans(),
        max_resets=st.sampled_from([1, 2, 10]),
    )
    def setup(
        self,
        fault_watch: int,
        boot_minutes: int,
        report_after_command: bool,
        max_resets: int,
    ) -> None:
        self.settings = ResetSettings(
            max_resets_per_day=max_resets, fault_watch_minutes=fault_watch
        )
        self.thermostat_boot = timedelta(minutes=boot_minutes)
        self.report_after_command = report_after_command

    # --- the shell ----------------------------------------------------------

    def feed(self, event: Event) -> None:
        """Feed an event and everything it causes, like the shell does."""
        self.events.append(event)
        while self.events:
            self._process(self.events.popleft())

    def _process(self, event: Event) -> None:
        before = self.state
        try:
            after, commands = step(before, event, self.settings)
        except ResetRefused:
            return
        self._check_transition(before, after, event, commands)
        self.state = after
        for command in commands:
            self._execute(command)
        if (
            after.phase is Phase.WAITING_THERMOSTAT
            and before.phase is not Phase.WAITING_THERMOSTAT
        ):
            self.events.append(ThermostatReport(self.now, self.thermostat_available))

    def _check_transition(
        self,
        before: ResetState,
        after: ResetState,
        event: Event,
        commands: list[Command],
    ) -> None:
        if isinstance(event, Start):
            self.relay_misbehaved = not self.relay_available
            self.restores_this_reset = 0
            assert commands[-1] == SetRelay(on=False)
        else:
            assert SetRelay(on=False) not in commands or before.phase is Phase.STOPPING
            assert SetThermostatOff() not in commands
        self.restores_this_reset += sum(
            isinstance(c, RestoreThermostat) for c in commands
        )
        assert self.restores_this_reset <= 1
        entered_failure = (
            after.phase is Phase.FAILED
            and after.reason == "power_not_restored"
            and not (before.phase is Phase.FAILED and before.reason == after.reason)
        )
        if entered_failure:
            # Failing is only allowed when the relay did not do its job.
            assert self.relay_misbehaved
            assert Notify("power_not_restored") in commands
            assert RaiseIssue("power_not_restored") in commands
            self.alarmed_reset = after.started_at
        failed_without_power = (
            before.phase is Phase.FAILED and before.reason == "power_not_restored"
        )
        if (
            isinstance(event, RelayReport)
            and event.is_on is False
            and (before.phase is Phase.RESTORING or failed_without_power)
        ):
            assert SetRelay(on=True) in commands
        if (
            before.phase is Phase.FAILED
            and before.reason == "power_not_restored"
            and isinstance(event, RelayReport)
            and event.is_on
        ):
            assert ClearIssue("power_not_restored") in commands

    def _execute(self, command: Command) -> None:
        if not isinstance(command, SetRelay):
            return
        if not self.relay_available:
            self.relay_misbehaved = True
            return
        if self.ignore_budget > 0:
            self.ignore_budget -= 1
            self.relay_misbehaved = True
        elif self.relay_on != command.on:
            self._switch(command.on)
            self.events.append(RelayReport(self.now, command.on))
            return
        if self.report_after_command and self.relay_on == command.on:
            # Like the shell: confirm a relay that already is as wanted.
            self.events.append(RelayReport(self.now, self.relay_on))

    def _switch(self, on: bool) -> None:
        self.relay_on = on
        if on:
            self.cut_at = None
            self.must_be_on_by = None
            self.thermostat_back_at = self.now + self.thermostat_boot
        else:
            self.cut_at = self.now
            self.thermostat_back_at = None
            if self.thermostat_available:
                self.thermostat_available = False
                self.events.append(ThermostatReport(self.now, False))

    def _world_at(self, moment: datetime) -> None:
        """Let the relay and thermostat come back when their time has come."""
        if self.relay_back_at is not None and self.relay_back_at <= moment:
            self.relay_back_at = None
            self.relay_available = True
            if self.ha_running:
                self.feed(RelayReport(self.now, self.relay_on))
        if self.thermostat_back_at is not None and self.thermostat_back_at <= moment:
            self.thermostat_back_at = None
            self.thermostat_available = True
            if self.ha_running:
                self.feed(ThermostatReport(self.now, True))

    def _advance_to(self, target: datetime) -> None:
        """Move the clock, firing the timer and world changes in order."""
        for _ in range(10_000):
            moments = [
                m
                for m in (
                    self.state.wake_at if self.ha_running else None,
                    self.relay_back_at,
                    self.thermostat_back_at,
                )
                if m is not None and m <= target
            ]
            if not moments:
                break
            self.now = max(self.now, min(moments))
            self._world_at(self.now)
            wake = self.state.wake_at
            if self.ha_running and wake is not None and wake <= self.now:
                self.feed(Tick(self.now))
            self.check_power()
        else:  # pragma: no cover - a timer that never moves on
            raise AssertionError("the wake-up time does not advance")
        self.now = target

    # --- rules --------------------------------------------------------------

    @rule(seconds=st.sampled_from([1, 5, 10, 15, 20, 45, 60, 90, 300, 900, 1800]))
    def advance(self, seconds: int) -> None:
        self._advance_to(self.now + timedelta(seconds=seconds))

    @precondition(lambda self: self.state.wake_at is not None)
    @rule(extra=st.sampled_from([0, 1, 30]))
    def wait_for_timer(self, extra: int) -> None:
        assert self.state.wake_at is not None
        self._advance_to(self.state.wake_at + timedelta(seconds=extra))

    @precondition(lambda self: self.relay_available and not self.relay_on)
    @rule()
    def someone_switches_on_by_hand(self) -> None:
        self._switch(True)
        self.feed(RelayReport(self.now, True))

    @rule(
        off_minutes=st.sampled_from([1, 5, 30, 180]),
        force=st.booleans(),
        with_thermostat=st.booleans(),
        category=st.sampled_from([None, "communication", "refrigerant"]),
        has_switch=st.sampled_from([True, True, True, False]),
    )
    def start(
        self,
        off_minutes: int,
        force: bool,
        with_thermostat: bool,
        category: str | None,
        has_switch: bool,
    ) -> None:
        before = self.state
        event = Start(
            self.now,
            off_minutes,
            force,
            has_switch,
            self.relay_on if self.relay_available else None,
            SNAPSHOT if with_thermostat else None,
            self.error_code,
            category if self.error_code else None,
            None,
        )
        try:
            step(before, event, self.settings)
        except ResetRefused:
            self.feed(event)
            assert self.state is before  # refused: nothing changed
            return
        self.feed(event)
        assert self.state.started_at == self.now

    @rule()
    def cancel(self) -> None:
        if self.state.power_cut and self.must_be_on_by is not None:
            self.must_be_on_by = min(self.must_be_on_by, self.now)
        self.feed(Cancel(self.now))
        # Power is being verified, or the thermostat awaited; no more waiting.
        assert not self.state.running or self.state.phase in {
            Phase.RESTORING,
            Phase.WAITING_THERMOSTAT,
        }

    @rule(minutes=st.sampled_from([1, 3, 10, 30, 120]))
    def relay_drops_out(self, minutes: int) -> None:
        if not self.relay_available:
            return
        self.relay_available = False
        self.relay_back_at = self.now + timedelta(minutes=minutes)
        self.feed(RelayReport(self.now, None))

    @rule(count=st.integers(min_value=1, max_value=5))
    def relay_ignores_commands(self, count: int) -> None:
        self.ignore_budget = count

    @rule(available=st.booleans())
    def thermostat_flaps(self, available: bool) -> None:
        if not self.relay_on or available == self.thermostat_available:
            return
        self.thermostat_available = available
        self.feed(ThermostatReport(self.now, available))

    @rule(code=st.sampled_from(CODES))
    def error_code_changes(self, code: str | None) -> None:
        if code == self.error_code:
            return
        self.error_code = code
        self.feed(ErrorCodeReport(self.now, code))

    @rule(code=st.sampled_from(CODES[1:]))
    def acknowledge(self, code: str) -> None:
        self.feed(Acknowledge(self.now, code))
        assert code.upper() not in self.state.blocked_codes

    @rule(
        downtime=st.sampled_from([0, 5, 60, 1800, 7200]),
        disable=st.booleans(),
    )
    def restart(self, downtime: int, disable: bool) -> None:
        if disable:
            self.feed(Shutdown(self.now))
            assert not self.state.power_cut
        stored = json.dumps(self.state.to_dict())
        self.ha_running = False
        self.state = ResetState.initial()  # the process is gone
        self._advance_to(self.now + timedelta(seconds=downtime))
        self.state = ResetState.from_dict(json.loads(stored))
        self.ha_running = True
        if self.must_be_on_by is not None:
            self.must_be_on_by = max(self.must_be_on_by, self.now)
        self.feed(Resume(self.now, self._relay_state(), self.thermostat_available))

    def _relay_state(self) -> bool | None:
        return self.relay_on if self.relay_available else None

    # --- invariants ---------------------------------------------------------

    @invariant()
    def check_power(self) -> None:
        if not self.ha_running:
            return
        state = self.state
        if state.phase in ACTIVE_PHASES:
            assert state.wake_at is not None
            assert state.wake_at > self.now
        if state.phase is Phase.POWER_OFF:
            assert state.deadline is not None
            assert state.wake_at == state.deadline
        if self.relay_on:
            return
        # The relay is off, and only we switch it off.
        assert self.cut_at is not None
        assert state.deadline is not None, "power cut without a deadline"
        assert state.deadline <= self.cut_at + timedelta(minutes=state.off_minutes)
        if self.must_be_on_by is None:
            self.must_be_on_by = state.deadline
        limit = self.must_be_on_by + self.settings.restore_give_up
        if self.now > limit:
            assert self.relay_misbehaved
            assert state.phase is Phase.FAILED
            assert state.reason == "power_not_restored"
            assert self.alarmed_reset == state.started_at
        elif state.phase not in ACTIVE_PHASES:
            # Ended without power: only after giving up.
            assert state.phase is Phase.FAILED

    @invariant()
    def check_persistence(self) -> None:
        restored = ResetState.from_dict(json.loads(json.dumps(self.state.to_dict())))
        assert restored == self.state

    @invariant()
    def check_history(self) -> None:
        assert len(self.state.history) <= 20
        for record in self.state.history:
            assert record.ended_at >= record.started_at
        assert self.state.resets_in_last_24h(self.now) <= (
            self.settings.max_resets_per_day
        )

    @precondition(lambda self: self.ha_running)
    @rule()
    def tick_now(self) -> None:
        """A stray or repeated timer callback changes nothing early."""
        before = self.state
        after, commands = step(before, Tick(self.now), self.settings)
        if before.wake_at is None or self.now < before.wake_at:
            assert after == before
            assert commands == []


ResetShellSimulation.TestCase.settings = hyp_settings(
    max_examples=300,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestResetShellSimulation = ResetShellSimulation.TestCase
