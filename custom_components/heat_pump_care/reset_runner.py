"""The safe reset in Home Assistant: the one adapter of the ``reset/`` core.

Every input (a press, a relay or thermostat change, a code report, the
wake-up timer) becomes one core event; events are processed in order, the
new state is stored before any command runs (a crash mid-command resumes
safely) and one timer waits for the core's next ``wake_at``.  The core alone
decides what an event means in the current phase.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from homeassistant.core import State, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .capability import Capability, HeatPumpContext, InstantTimer
from .const import DOMAIN, LOGGER
from .models import FaultStatus
from .reset import (
    ACTIVE_PHASES,
    Acknowledge,
    Cancel,
    Command,
    ErrorCodeReport,
    Event,
    Phase,
    RelayReport,
    ResetRefused,
    ResetSettings,
    ResetState,
    Resume,
    SetRelay,
    Shutdown,
    Start,
    ThermostatReport,
    Tick,
    start_refusal,
    step,
)
from .reset_commands import (
    Describe,
    ResetCommands,
    async_message,
    local_time,
    relay_on,
    thermostat_available,
    thermostat_snapshot,
)

type Stepped = tuple[ResetState, tuple[ResetState, list[Command]]]
"""A step already taken: the state it started from and its result."""
type Pending = tuple[Event, asyncio.Future[None] | None, Stepped | None]


class ResetRunner(Capability):
    """Runs the safe reset of one heat pump."""

    def __init__(
        self,
        context: HeatPumpContext,
        *,
        describe: Describe,
        hold: Callable[[], AbstractContextManager[None]],
    ) -> None:
        """Prepare; ``hold`` defers publishing while a batch of events runs."""
        super().__init__(context)
        self._hold = hold
        self._commands = ResetCommands(context, describe)
        self.core_settings = ResetSettings(
            max_resets_per_day=context.settings.max_resets_per_day,
            fault_watch_minutes=context.settings.fault_watch_minutes,
        )
        self.state = ResetState.initial()
        self._queue: deque[Pending] = deque()
        self._dispatching = False
        self._wake = InstantTimer(context.hass, self._async_wake)
        self._relay_reports = 0
        self._stopped = False

    def load(self, data: dict[str, Any] | None) -> None:
        """Take the stored state; an absent section means no reset ever ran."""
        self.state = ResetState.from_dict(data) if data else ResetState.initial()

    def to_dict(self) -> dict[str, Any]:
        """Return the state to store."""
        return self.state.to_dict()

    @property
    def needs_catalog(self) -> bool:
        """Return whether the stored reset may need to decode a code."""
        return self.state.phase not in (Phase.IDLE, Phase.COMPLETED, Phase.CANCELLED)

    @property
    def monitoring(self) -> bool:
        """Return whether the reset watches for the fault to come back."""
        return self.state.phase is Phase.MONITORING

    @property
    def running(self) -> bool:
        """Return whether a reset runs (the power switch must not change)."""
        return self.state.phase in ACTIVE_PHASES

    async def async_resume(self, relay: State | None, climate: State | None) -> None:
        """After a (re)start: go on at the stored deadlines, or restore power now."""
        if self._settings.power_switch or self.running:
            await self._async_dispatch(
                Resume(
                    now=dt_util.utcnow(),
                    relay_on=relay_on(relay),
                    thermostat_available=thermostat_available(climate),
                )
            )

    async def async_start(
        self, fault: FaultStatus, *, off_minutes: int | None = None, force: bool = False
    ) -> None:
        """Start a safe reset, or raise a translated reason why not."""
        try:
            await self._async_dispatch(self._start_event(fault, off_minutes, force))
        except ResetRefused as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=f"reset_refused_{err.reason}",
                translation_placeholders=self.refusal_placeholders(err),
            ) from err

    def refusal(self, fault: FaultStatus) -> ResetRefused | None:
        """Return why a reset pressed now would be refused (the core's guards)."""
        return start_refusal(
            self.state, self._start_event(fault, None, False), self.core_settings
        )

    def refusal_placeholders(self, refused: ResetRefused) -> dict[str, str]:
        """Return the placeholders of a refusal's message (local times)."""
        placeholders = {"name": self._entry.title, **refused.placeholders}
        if refused.allowed_at is not None:
            placeholders["next_reset"] = local_time(refused.allowed_at)
        return placeholders

    async def async_explain(self, refused: ResetRefused) -> str:
        """Return a refusal's message in Home Assistant's language."""
        return await async_message(
            self._hass,
            f"reset_refused_{refused.reason}",
            self.refusal_placeholders(refused),
        )

    def _start_event(
        self, fault: FaultStatus, off_minutes: int | None, force: bool
    ) -> Start:
        hass, settings, entry = self._hass, self._settings, fault.entry
        return Start(
            now=dt_util.utcnow(),
            off_minutes=off_minutes or settings.reset_off_minutes,
            force=force,
            has_power_switch=settings.power_switch is not None,
            relay_on=relay_on(hass.states.get(settings.power_switch or "")),
            thermostat=thermostat_snapshot(
                hass.states.get(settings.climate_entity or "")
            ),
            error_code=fault.code,
            error_category=str(entry.category) if entry else None,
            reset_may_help=entry.reset_may_help if entry else None,
        )

    async def async_cancel(self) -> None:
        """Cancel a running reset (or a failed restore): power comes back at once."""
        if not self.running and self.state.phase is not Phase.FAILED:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_reset_running",
                translation_placeholders={"name": self._entry.title},
            )
        await self._async_dispatch(Cancel(now=dt_util.utcnow()))

    async def async_acknowledge(self, code: str) -> None:
        """Allow resets again once the user read the 'call a technician' repair."""
        await self._async_dispatch(Acknowledge(now=dt_util.utcnow(), code=code))

    async def async_restore_now(self) -> None:
        """Give power back at once: the entry is disabled or removed."""
        await self._async_dispatch(Shutdown(now=dt_util.utcnow()))

    @callback
    def async_stop(self) -> None:
        """End the wake-up timer (unload or stop); the stored deadline stays."""
        self._wake.stop()

    @callback
    def on_relay(self, new_state: State | None) -> None:
        """Report the power switch's new position to the core."""
        self._relay_reports += 1
        self._send(RelayReport(now=dt_util.utcnow(), is_on=relay_on(new_state)))

    @callback
    def on_thermostat(self, new_state: State | None) -> None:
        """Report the thermostat's availability to the core."""
        available = thermostat_available(new_state)
        self._send(ThermostatReport(now=dt_util.utcnow(), available=available))

    @callback
    def on_error_code(self, code: str | None) -> None:
        """Report the unit's code to the core (None: no error)."""
        self._send(ErrorCodeReport(now=dt_util.utcnow(), code=code))

    def _send(self, event: Event) -> None:
        if self._dispatching:
            self._queue.append((event, None, None))  # the running loop takes it
            return
        # Most reports mean nothing in the current phase (a thermostat report
        # while no reset runs): the core says so at once, without a task.
        old = self.state
        result = step(old, event, self.core_settings)
        if result[0] == old and not result[1]:
            return
        self._entry.async_create_task(
            self._hass,
            self._async_dispatch(event, stepped=(old, result)),
            f"{DOMAIN} safe reset",
        )

    async def _async_dispatch(
        self, event: Event, stepped: Stepped | None = None
    ) -> None:
        """Feed one event to the core; events are processed in order.

        A refused ``Start`` raises ``ResetRefused`` to its caller.
        """
        future: asyncio.Future[None] | None = None
        if isinstance(event, Start):
            future = self._hass.loop.create_future()
        self._queue.append((event, future, stepped))
        if not self._dispatching:
            self._dispatching = True
            try:
                with self._hold():
                    while self._queue:
                        await self._async_process(*self._queue.popleft())
            finally:
                self._dispatching = False
        if future is not None:
            await future

    async def _async_process(
        self,
        event: Event,
        future: asyncio.Future[None] | None,
        stepped: Stepped | None,
    ) -> None:
        try:
            await self._async_step(event, stepped)
        except ResetRefused as err:
            if future is None:
                LOGGER.warning(
                    "Safe reset of %s not started: %s", self._entry.title, err
                )
            else:
                future.set_exception(err)
        finally:
            if future is not None and not future.done():
                future.set_result(None)

    async def _async_step(self, event: Event, stepped: Stepped | None) -> None:
        old = self.state
        if stepped is not None and stepped[0] is old:
            new, commands = stepped[1]
        else:
            new, commands = step(old, event, self.core_settings)
        self._wake.set(new.wake_at)
        if new == old and not commands:
            return
        self.state = new
        if new != old:
            self._changed()
            # Stored before acting, so a crash mid-command resumes safely.
            await self._storage.async_save()
        if new.phase != old.phase:
            self._events.fire_reset(new)
            if new.phase is Phase.WAITING_THERMOSTAT:
                climate = self._hass.states.get(self._settings.climate_entity or "")
                self._queue.append(
                    (
                        ThermostatReport(
                            now=dt_util.utcnow(),
                            available=thermostat_available(climate),
                        ),
                        None,
                        None,
                    )
                )
        for command in commands:
            seen = self._relay_reports
            await self._commands.async_execute(command)
            if isinstance(command, SetRelay) and seen == self._relay_reports:
                self._confirm_unchanged_relay(command.on)

    def _confirm_unchanged_relay(self, wanted: bool) -> None:
        """Confirm a relay that already was as wanted: no change will report it.

        Anything else is not fed back: the core answers "off" while restoring
        with another switch-on, so a relay that ignores commands would loop.
        A later change comes through the state listener, silence through the
        retry timer.
        """
        state = self._hass.states.get(self._settings.power_switch or "")
        if (is_on := relay_on(state)) is wanted:
            self._queue.append(
                (RelayReport(now=dt_util.utcnow(), is_on=is_on), None, None)
            )

    async def _async_wake(self, now: datetime) -> None:
        await self._async_dispatch(Tick(now=max(now, dt_util.utcnow())))
