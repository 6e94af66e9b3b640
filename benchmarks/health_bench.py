"""Issue 14's figures: what a thermostat update and the health state cost.

Thermostats report every few seconds (mostly the room temperature), so the
cost per update matters more than setup.  Ours (one heat pump with every
feature) is timed against a bare state listener that writes one entity per
update, in the same Home Assistant instance, updates interleaved.  The health
state's memory is measured after a worst-case month of short runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import statistics
import tracemalloc
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.helpers.event import async_track_state_change_event

from custom_components.heat_pump_care.health import (
    HealthSettings,
    HealthState,
    Sample,
    assess,
    observe,
)

if TYPE_CHECKING:
    from .bench import BenchConfig, BenchResult

REFERENCE_CLIMATE = "climate.bench_reference_thermostat"
REFERENCE_SENSOR = "sensor.bench_reference_copy"
UPDATES = 600
# The worst case kept in memory: a start every 2 minutes for 31 days.
HEALTH_MEMORY_BUDGET = 256 * 1024  # bytes per heat pump


def _attributes(index: int) -> dict[str, object]:
    """A realistic stream: the room temperature every update, a run every 20."""
    action = "heating" if (index // 10) % 2 == 0 else "idle"
    return {
        "hvac_action": action,
        "temperature": 21.5,
        "current_temperature": 20.0 + (index % 7) / 10,
    }


async def measure_thermostat_updates(config: BenchConfig, result: BenchResult) -> None:
    """Time one thermostat update: ours against a listener that writes one entity."""
    from .bench import OURS, Row, _ratio, bench_hass, setup_side

    updates = UPDATES if config.rounds > 1 else UPDATES // 10
    async with bench_hass() as hass:
        entries = (await setup_side(hass, OURS, 1, {}))[1]
        climate = entries[0].options["climate_entity"]
        hass.states.async_set(REFERENCE_CLIMATE, "heat", _attributes(0))

        @callback
        def copy(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if new is not None:
                hass.states.async_set(
                    REFERENCE_SENSOR, str(new.attributes.get("current_temperature"))
                )

        async_track_state_change_event(hass, REFERENCE_CLIMATE, copy)
        await hass.async_block_till_done()
        times: dict[str, list[float]] = {"ours": [], "reference": []}
        for index in range(1, updates + 1):
            attrs = _attributes(index)
            pair = (("ours", climate), ("reference", REFERENCE_CLIMATE))
            for side, entity_id in pair if index % 2 else pair[::-1]:
                start = _now()
                hass.states.async_set(entity_id, "heat", attrs)
                await hass.async_block_till_done()
                times[side].append(_now() - start)
    ours = statistics.median(times["ours"])
    ref = statistics.median(times["reference"])
    ratio = _ratio(ours, ref)
    result.rows.append(
        Row(
            "thermostat update (health, runtime, reset), median",
            ours * 1e6,
            ref * 1e6,
            "µs",
            "ratio <= 2",
            ratio is not None and ratio <= 2,
            ratio,
        )
    )
    memory = health_memory()
    result.rows.append(
        Row(
            "health state memory per heat pump (worst case)",
            memory / 1024,
            None,
            "KiB",
            f"<= {HEALTH_MEMORY_BUDGET // 1024} KiB",
            memory <= HEALTH_MEMORY_BUDGET,
            None,
        )
    )


def health_memory() -> int:
    """Return the bytes a health state holds after a month of 2-minute cycles."""
    tz = ZoneInfo("Europe/Amsterdam")
    settings = HealthSettings()
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        state = HealthState.empty()
        for _ in range(31 * 24 * 30):  # a start every 2 minutes for 31 days
            for action in ("heating", "idle"):
                observe(state, Sample(action, "heat", 20.0, 21.5, None), moment, tz)
                moment += timedelta(minutes=1)
            assess(state, moment, tz, settings)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    del state
    return max(grown, 0)


def _now() -> float:
    from .bench import _CLOCK

    return _CLOCK.now()
