"""Measure what Heat Pump Care costs Home Assistant, against references.

Run it with ``scripts/bench`` (or ``python -m benchmarks.bench``).  Every
timed figure is a ratio against a reference measured in the same process, in
interleaved rounds, so machine noise largely cancels:

* config-entry setup of 1, 10 and 100 heat pumps (every feature on) against
  the same number of entries of ``bench_reference``, a minimal config-entry
  integration (``benchmarks/reference_integration``) that creates as many
  plain entities per entry, on the same platforms, as one heat pump does.
  Our error-code catalogue is read by a background task that
  ``async_setup`` starts; entries without a code to decode do not wait for
  it, so the timed setup includes it only as far as that thread competes
  with the event loop (the load has its own row below);
* ``lookup_error_code`` latency against a no-op response service with the
  same schema (so the ratio isolates our handler);
* the catalogue's load time (off the loop) and retained memory, against
  parsing the same JSON files;
* timers and listeners over a simulated day without state changes;
* blocking calls in the event loop, with Home Assistant's detection on.

The table is printed as Markdown; ``--write-readme`` also puts it between the
``<!-- BEGIN bench -->`` and ``<!-- END bench -->`` markers of README.md.
The exit status is 1 when a budget fails.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
import functools
import gc
import inspect
import json
import logging
import math
import os
from pathlib import Path
import platform
import statistics
import sys
import time
import tracemalloc
from types import FrameType, SimpleNamespace
from typing import Any, Self
from unittest.mock import patch

from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
    mock_storage,
)

from homeassistant import block_async_io, const as ha_const, loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import (
    Event,
    EventStateChangedData,
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import entity_platform, entity_registry as er, translation
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util, loop as loop_util

from custom_components.heat_pump_care.catalog import DATA_DIR, Catalog
from custom_components.heat_pump_care.services import LOOKUP_SCHEMA

from .paths import OUR_DIR, README, REFERENCE_COMPONENTS, REFERENCE_DIR, ROOT

_LOGGER = logging.getLogger(__name__)

DOMAIN = "heat_pump_care"
REF_DOMAIN = "bench_reference"
PLATFORMS = ("binary_sensor", "button", "calendar", "event", "sensor", "todo")
TIME_ZONE = "Europe/Amsterdam"
BEGIN_MARKER = "<!-- BEGIN bench -->"
END_MARKER = "<!-- END bench -->"
LOOKUP_CODES = ("U4", "A5", "E7", "L5", "ZZ9")

# freezegun (active in the test harness) replaces time.perf_counter in every
# module namespace it scans; a reference kept inside an object stays real.
_CLOCK = SimpleNamespace(now=time.perf_counter, thread_cpu=time.thread_time)
# CPU time of the event loop's thread during the last setups (executor work,
# such as reading the catalogue, runs on other threads and is not in it).
LOOP_CPU: list[float] = []

OURS = "ours"
REFERENCE = "reference"


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Row:
    """One figure of the table; ``passed`` is None for information only."""

    figure: str
    value: float
    reference: float | None
    unit: str
    budget: str
    passed: bool | None
    ratio: float | None = None


@dataclass(frozen=True, slots=True)
class BenchConfig:
    """How much to measure; the defaults are the full benchmark."""

    sizes: tuple[int, ...] = (1, 10, 100)
    rounds: int = 21
    lookup_samples: int = 2000
    catalog_rounds: int = 7
    day_entries: int = 10
    day_step_minutes: int = 5


QUICK = BenchConfig(
    sizes=(1, 10), rounds=1, lookup_samples=100, catalog_rounds=2, day_entries=2
)


@dataclass(slots=True)
class BenchResult:
    """Everything measured, with the rows of the table."""

    rows: list[Row] = field(default_factory=list)
    setup_seconds: dict[tuple[str, int], list[float]] = field(default_factory=dict)
    setup_loop_cpu: dict[tuple[str, int], list[float]] = field(default_factory=dict)
    entities_per_entry: dict[str, int] = field(default_factory=dict)
    blocking_calls: list[tuple[str | None, str]] = field(default_factory=list)
    # Interquartile range of the per-round setup ratios, per size.
    setup_spread: dict[int, tuple[float, float]] = field(default_factory=dict)

    def spread_note(self) -> str:
        """Return one line on how much the per-round setup ratios varied."""
        if not self.setup_spread:
            return ""
        parts = ", ".join(
            f"{size} heat pump{'s' if size > 1 else ''} {low:.2f}-{high:.2f}"
            for size, (low, high) in sorted(self.setup_spread.items())
        )
        return f"Per-round setup ratios, interquartile range: {parts}."

    @property
    def failed(self) -> list[Row]:
        """Return the rows whose budget failed."""
        return [row for row in self.rows if row.passed is False]


def _ratio(value: float, reference: float | None) -> float | None:
    if reference is None or reference <= 0:
        return None
    return value / reference


# ------------------------------------------------------------ attribution


def _owner(frame: FrameType | None) -> str | None:
    """Return whose code is on the stack: our integration, the reference or none."""
    ours = str(OUR_DIR)
    ref = str(REFERENCE_DIR)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(ours):
            return OURS
        if filename.startswith(ref):
            return REFERENCE
        frame = frame.f_back
    return None


def _callback_target(callback: object) -> object:
    """Unwrap a timer callback down to the function it finally runs."""
    from homeassistant.core import HassJob

    for _ in range(6):
        if isinstance(callback, functools.partial):
            callback = callback.func
            continue
        if isinstance(callback, HassJob):
            callback = callback.target
            continue
        job = getattr(callback, "job", None)
        if isinstance(job, HassJob):
            callback = job.target
            continue
        cells = getattr(callback, "__closure__", None) or ()
        jobs = [c.cell_contents for c in cells if isinstance(c.cell_contents, HassJob)]
        if jobs:
            callback = jobs[0].target
            continue
        break
    return callback


def _timer_kind(callback: object, owner: str | None) -> str | None:
    """Classify a new timer: the side's own, its entities' (HA base class), or none.

    Own timers run the side's code.  Entity timers are kept by Home
    Assistant's entity base classes for the side's entities (the calendar's
    next-event alarm) and are created with the side's code on the stack.
    Framework timers (setup timeouts, delayed registry saves) are neither:
    every integration causes them.
    """
    module = getattr(_callback_target(callback), "__module__", None) or ""
    if module.startswith("custom_components.heat_pump_care"):
        return f"{OURS}:own"
    if module.startswith("custom_components.bench_reference"):
        return f"{REFERENCE}:own"
    if owner is not None and module.startswith("homeassistant.components."):
        return f"{owner}:entity"
    return None


class TimerTracker:
    """Count the loop timers (``call_at``/``call_later``) by kind, and their runs."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wrap the loop's ``call_at`` on this instance only."""
        self._loop = loop
        self._original = loop.call_at
        self.created: Counter[str] = Counter()
        self.fired: Counter[str] = Counter()
        self.handles: dict[str, list[asyncio.TimerHandle]] = {}

    def _call_at(
        self, when: float, callback: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> asyncio.TimerHandle:
        kind = _timer_kind(callback, _owner(inspect.currentframe()))
        if kind is None:
            return self._original(when, callback, *args, **kwargs)

        def counted(*call_args: Any) -> Any:
            self.fired[kind] += 1
            return callback(*call_args)

        handle = self._original(when, counted, *args, **kwargs)
        self.created[kind] += 1
        self.handles.setdefault(kind, []).append(handle)
        return handle

    def reset(self) -> None:
        """Start counting afresh (pending handles stay known)."""
        self.created.clear()
        self.fired.clear()

    def pending(self, kind: str) -> int:
        """Return how many timers of a kind are still scheduled."""
        scheduled = {id(handle) for handle in self._loop._scheduled}  # type: ignore[attr-defined]
        return sum(
            1
            for handle in self.handles.get(kind, [])
            if not handle.cancelled() and id(handle) in scheduled
        )

    def __enter__(self) -> Self:
        """Start tracking."""
        self._loop.call_at = self._call_at  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop tracking."""
        del self._loop.call_at


class BlockingCallCounter:
    """Home Assistant's blocking-call detection, counting instead of raising.

    ``block_async_io.enable()`` wraps the blocking functions with
    ``homeassistant.util.loop.protect_loop``; each detection goes through
    ``raise_for_blocking_call``, which this replaces with a recorder (logging
    a warning with the stack) so the benchmark always completes its table.
    """

    def __init__(self) -> None:
        """Prepare; nothing is patched until entered."""
        self.calls: list[tuple[str | None, str]] = []
        self._enabled_here = False
        self._original = loop_util.raise_for_blocking_call

    def _record(
        self,
        func: Callable[..., Any],
        check_allowed: Callable[[dict[str, Any]], bool] | None = None,
        strict: bool = True,
        strict_core: bool = True,
        **mapped_args: Any,
    ) -> None:
        if check_allowed is not None and check_allowed(mapped_args):
            return
        owner = _owner(inspect.currentframe())
        self.calls.append((owner, func.__name__))
        _LOGGER.log(
            logging.WARNING if owner else logging.DEBUG,
            "Blocking call to %s in the event loop (%s)",
            func.__name__,
            owner or "the harness",
            stack_info=True,
        )

    def count(self, owner: str | None) -> int:
        """Return the detections attributed to one side."""
        return sum(1 for who, _ in self.calls if who == owner)

    def __enter__(self) -> Self:
        """Enable detection (all checks, also those skipped in tests)."""
        loop_util.raise_for_blocking_call = self._record
        if not block_async_io._BLOCKED_CALLS.calls:
            in_tests = block_async_io._IN_TESTS
            block_async_io._IN_TESTS = False
            try:
                block_async_io.enable()
            finally:
                block_async_io._IN_TESTS = in_tests
            self._enabled_here = True
        return self

    def __exit__(self, *exc: object) -> None:
        """Restore the original functions."""
        if self._enabled_here:
            calls = block_async_io._BLOCKED_CALLS.calls
            for blocking in calls:
                setattr(blocking.object, blocking.function, blocking.original_func)
            calls.clear()
        loop_util.raise_for_blocking_call = self._original


@contextlib.contextmanager
def reference_integration() -> Iterator[None]:
    """Make ``custom_components.bench_reference`` importable for the loader."""
    import custom_components

    path = str(REFERENCE_COMPONENTS)
    added = path not in custom_components.__path__
    if added:
        custom_components.__path__.append(path)
    try:
        yield
    finally:
        if added:
            custom_components.__path__.remove(path)


# ------------------------------------------------------------ instances


@contextlib.asynccontextmanager
async def bench_hass() -> AsyncIterator[HomeAssistant]:
    """Yield a real in-process Home Assistant with storage in memory.

    The platforms' entity components and ``repairs`` (our dependency) are set
    up beforehand, as they are in any real installation, so a timed setup
    measures only the integration under test.
    """
    from unittest.mock import Mock

    from homeassistant.helpers import storage

    # Under pytest the harness's hass_storage already keeps storage in memory.
    load = storage.Store._async_load
    in_memory = isinstance(load, Mock) or hasattr(load, "mock")
    with contextlib.nullcontext() if in_memory else mock_storage():
        async with async_test_home_assistant() as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            await hass.config.async_set_time_zone(TIME_ZONE)
            try:
                for component in ("repairs", *PLATFORMS):
                    assert await async_setup_component(hass, component, {})
                await hass.async_block_till_done()
                yield hass
            finally:
                await unload_all(hass)
                await hass.async_stop(force=True)


async def unload_all(hass: HomeAssistant) -> None:
    """Unload every loaded entry, as Home Assistant does on removal or reload."""
    for entry in hass.config_entries.async_entries():
        if entry.state is ConfigEntryState.LOADED:
            assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


def _source_ids(index: int) -> tuple[str, str, str]:
    return (
        f"climate.hp_{index:03d}",
        f"switch.hp_{index:03d}_breaker",
        f"sensor.hp_{index:03d}_error_code",
    )


def our_options(index: int, today: date) -> dict[str, Any]:
    """Return the options of a heat pump with every feature on."""
    climate, relay, error_code = _source_ids(index)
    return {
        "name": f"Heat pump {index:03d}",
        "brand": "daikin",
        "model": "FTXM35R",
        "climate_entity": climate,
        "power_switch": relay,
        "error_code_entity": error_code,
        "filter_last_changed": (today - timedelta(days=30)).isoformat(),
        "filter_interval_days": 90,
        "service_last_done": (today - timedelta(days=200)).isoformat(),
        "service_interval_days": 365,
        "condensate_drain_last_done": (today - timedelta(days=60)).isoformat(),
        "condensate_drain_interval_days": 180,
        "outdoor_unit_last_done": (today - timedelta(days=90)).isoformat(),
        "outdoor_unit_interval_days": 180,
        "filter_runtime_hours": 500,
        "reset_off_minutes": 30,
        "max_resets_per_day": 2,
        "fault_watch_minutes": 30,
    }


def add_entries(
    hass: HomeAssistant, side: str, count: int, entities: dict[str, int]
) -> list[MockConfigEntry]:
    """Add ``count`` entries of one side (with their source entities)."""
    today = dt_util.now().date()
    entries = []
    for index in range(count):
        if side == OURS:
            climate, relay, error_code = _source_ids(index)
            hass.states.async_set(
                climate, "heat", {"hvac_action": "idle", "temperature": 21.5}
            )
            hass.states.async_set(relay, "on")
            hass.states.async_set(error_code, "")
            options = our_options(index, today)
            entry = MockConfigEntry(
                domain=DOMAIN, title=options["name"], data={}, options=options
            )
        else:
            entry = MockConfigEntry(
                domain=REF_DOMAIN,
                title=f"Reference {index:03d}",
                data={"entities": entities},
            )
        entry.add_to_hass(hass)
        entries.append(entry)
    return entries


def entities_per_platform(hass: HomeAssistant, entry_id: str) -> dict[str, int]:
    """Count one entry's registered entities per platform."""
    registry = er.async_get(hass)
    return dict(
        Counter(
            item.domain
            for item in er.async_entries_for_config_entry(registry, entry_id)
        )
    )


async def setup_side(
    hass: HomeAssistant, side: str, count: int, entities: dict[str, int]
) -> tuple[float, list[MockConfigEntry]]:
    """Set up ``count`` entries of one side; return the seconds it took."""
    entries = add_entries(hass, side, count, entities)
    domain = DOMAIN if side == OURS else REF_DOMAIN
    # As Home Assistant's bootstrap does before any integration is set up
    # (bootstrap.py: "Start loading translations for all integrations we are
    # going to set up ... so they are ready when we need them"), the
    # translations are loaded ahead of the timed setup.  The reference has
    # none, so for it this is a no-op.
    await translation.async_load_integrations(hass, {domain})
    gc.collect()
    start = _CLOCK.now()
    cpu = _CLOCK.thread_cpu()
    assert await async_setup_component(hass, domain, {})
    await hass.async_block_till_done()
    elapsed = _CLOCK.now() - start
    LOOP_CPU.append(_CLOCK.thread_cpu() - cpu)
    for entry in entries:
        assert entry.state is ConfigEntryState.LOADED, f"{entry.title}: {entry.state}"
    return elapsed, entries


# ---------------------------------------------------------------- figures


async def measure_setup(config: BenchConfig, result: BenchResult) -> None:
    """Time entry setup for each size, ours and the reference interleaved."""
    # Warm-up: imports, and the entity counts the reference must match.
    async with bench_hass() as hass:
        _, entries = await setup_side(hass, OURS, 1, {})
        result.entities_per_entry = entities_per_platform(hass, entries[0].entry_id)
    async with bench_hass() as hass:
        await setup_side(hass, REFERENCE, 1, result.entities_per_entry)
    for round_ in range(config.rounds):
        for size in config.sizes:
            sides = (OURS, REFERENCE) if round_ % 2 == 0 else (REFERENCE, OURS)
            for side in sides:
                async with bench_hass() as hass:
                    elapsed, entries = await setup_side(
                        hass, side, size, result.entities_per_entry
                    )
                    got = sum(
                        sum(entities_per_platform(hass, e.entry_id).values())
                        for e in entries
                    )
                    assert got == size * sum(result.entities_per_entry.values())
                result.setup_seconds.setdefault((side, size), []).append(elapsed)
                result.setup_loop_cpu.setdefault((side, size), []).append(LOOP_CPU[-1])
    medians = {
        key: statistics.median(values) for key, values in result.setup_seconds.items()
    }
    for size in config.sizes:
        ours = medians[OURS, size]
        ref = medians[REFERENCE, size]
        # The ratio is the median of each round's ours/reference ratio: the
        # two sides of a round ran back to back, so drift in machine load
        # between rounds cancels instead of landing on one side's median.
        ratios = [
            o / r
            for o, r in zip(
                result.setup_seconds[OURS, size],
                result.setup_seconds[REFERENCE, size],
                strict=True,
            )
        ]
        ratio = statistics.median(ratios)
        if len(ratios) > 1:
            low, _, high = statistics.quantiles(ratios, n=4)
            result.setup_spread[size] = (low, high)
        result.rows.append(
            Row(
                f"entry setup, {size} heat pump{'s' if size > 1 else ''}",
                ours * 1000,
                ref * 1000,
                "ms",
                "ratio <= 1.5",
                ratio is not None and ratio <= 1.5,
                ratio,
            )
        )
    for size in config.sizes:
        ours = statistics.median(result.setup_loop_cpu[OURS, size])
        ref = statistics.median(result.setup_loop_cpu[REFERENCE, size])
        result.rows.append(
            Row(
                f"event-loop CPU during setup, {size} heat pump{'s' if size > 1 else ''}",
                ours * 1000,
                ref * 1000,
                "ms",
                "-",
                None,
                _ratio(ours, ref),
            )
        )
    smallest, largest = min(config.sizes), max(config.sizes)
    if largest > smallest:
        growth = medians[OURS, largest] / medians[OURS, smallest]
        ref_growth = medians[REFERENCE, largest] / medians[REFERENCE, smallest]
        limit = 1.1 * largest / smallest
        result.rows.append(
            Row(
                f"setup growth, {largest} vs {smallest} heat pump",
                growth,
                ref_growth,
                "x",
                f"<= {limit:g} x",
                growth <= limit,
                _ratio(growth, ref_growth),
            )
        )


async def measure_lookup(config: BenchConfig, result: BenchResult) -> None:
    """Time ``lookup_error_code`` against a no-op response service."""

    @callback
    def noop(call: ServiceCall) -> ServiceResponse:
        return {}

    async with bench_hass() as hass:
        await setup_side(hass, OURS, 1, {})
        hass.services.async_register(
            "bench",
            "noop",
            noop,
            schema=LOOKUP_SCHEMA,
            supports_response=SupportsResponse.ONLY,
        )
        samples: dict[str, list[float]] = {OURS: [], REFERENCE: []}
        targets = {OURS: (DOMAIN, "lookup_error_code"), REFERENCE: ("bench", "noop")}
        warmup = max(20, config.lookup_samples // 10)
        for index in range(warmup + config.lookup_samples):
            data = {"code": LOOKUP_CODES[index % len(LOOKUP_CODES)], "brand": "daikin"}
            sides = (OURS, REFERENCE) if index % 2 == 0 else (REFERENCE, OURS)
            for side in sides:
                domain, service = targets[side]
                start = _CLOCK.now()
                response = await hass.services.async_call(
                    domain, service, data, blocking=True, return_response=True
                )
                elapsed = _CLOCK.now() - start
                assert response is not None
                if index >= warmup:
                    samples[side].append(elapsed)
        found = await hass.services.async_call(
            DOMAIN,
            "lookup_error_code",
            {"code": "U4", "brand": "daikin"},
            blocking=True,
            return_response=True,
        )
        assert found is not None
        assert found["found"] is True
    for label, quantile, budget in (("p50", 0.5, 1.3), ("p99", 0.99, None)):
        ours = _quantile(samples[OURS], quantile)
        ref = _quantile(samples[REFERENCE], quantile)
        ratio = _ratio(ours, ref)
        result.rows.append(
            Row(
                f"lookup_error_code latency {label}",
                ours * 1e6,
                ref * 1e6,
                "µs",
                f"ratio <= {budget}" if budget else "-",
                None if budget is None else ratio is not None and ratio <= budget,
                ratio,
            )
        )


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.floor(q * len(ordered)))]


def _parse_files() -> object:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(DATA_DIR.glob("*.json"))
    ]


def _timed(func: Callable[[], object]) -> float:
    start = _CLOCK.now()
    func()
    return float(_CLOCK.now() - start)


def _memory(func: Callable[[], object]) -> tuple[int, int]:
    """Return (retained, peak) bytes allocated by ``func`` while its result lives."""
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        kept = func()
        current, peak = tracemalloc.get_traced_memory()
        del kept
    finally:
        tracemalloc.stop()
    return current - base, peak - base


async def measure_catalog(config: BenchConfig, result: BenchResult) -> None:
    """Time and weigh a full catalogue load in a worker thread."""
    ours: list[float] = []
    ref: list[float] = []
    pair: tuple[tuple[list[float], Callable[[], object]], ...] = (
        (ours, Catalog.load),
        (ref, _parse_files),
    )
    for round_ in range(config.catalog_rounds):
        for samples, func in pair if round_ % 2 == 0 else pair[::-1]:
            samples.append(await asyncio.to_thread(_timed, func))
    load = statistics.median(ours)
    parse = statistics.median(ref)
    result.rows.append(
        Row(
            "catalogue load (full, off the loop)",
            load * 1000,
            parse * 1000,
            "ms",
            "<= 30 ms",
            load <= 0.030,
            _ratio(load, parse),
        )
    )
    retained, peak = await asyncio.to_thread(_memory, Catalog.load)
    ref_retained, ref_peak = await asyncio.to_thread(_memory, _parse_files)
    mib = 1024 * 1024
    result.rows.append(
        Row(
            "catalogue memory, retained",
            retained / mib,
            ref_retained / mib,
            "MiB",
            "<= 4 MiB",
            retained <= 4 * mib,
            _ratio(retained, ref_retained),
        )
    )
    result.rows.append(
        Row(
            "catalogue memory, peak while loading",
            peak / mib,
            ref_peak / mib,
            "MiB",
            "-",
            None,
            _ratio(peak, ref_peak),
        )
    )


def _tracked_state_callbacks(hass: HomeAssistant) -> int:
    """Count every state-change callback of ``async_track_state_change_event``."""
    from homeassistant.helpers.event import _TRACK_STATE_CHANGE_DATA

    data = hass.data.get(_TRACK_STATE_CHANGE_DATA)
    if data is None:
        return 0
    return sum(len(jobs) for jobs in data.callbacks.values())


def _bus_listeners(hass: HomeAssistant) -> int:
    return sum(hass.bus.async_listeners().values())


@dataclass(slots=True)
class DayProfile:
    """What one side's entries did over a simulated day, per entry."""

    own_pending: float
    own_wakeups: float
    own_scheduled: float
    entity_pending: float
    entity_wakeups: float
    left_after_unload: float
    state_listeners: float
    bus_listeners: float
    state_writes: float
    polling_entities: int


async def simulate_day(
    side: str, count: int, entities: dict[str, int], step_minutes: int
) -> DayProfile:
    """Set up ``count`` entries and let a day pass without any state change."""
    async with bench_hass() as hass:
        state_before = _tracked_state_callbacks(hass)
        bus_before = _bus_listeners(hass)
        with TimerTracker(hass.loop) as tracker:
            _, entries = await setup_side(hass, side, count, entities)
            tracker.reset()
            entry_ids = {entry.entry_id for entry in entries}
            registry = er.async_get(hass)
            ours = {
                item.entity_id
                for item in registry.entities.values()
                if item.config_entry_id in entry_ids
            }
            writes = Counter[str]()

            @callback
            def _count(event: Event[EventStateChangedData]) -> None:
                if event.data["entity_id"] in ours:
                    writes[event.data["entity_id"]] += 1

            unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, _count)
            state_listeners = _tracked_state_callbacks(hass) - state_before
            start = dt_util.utcnow()
            steps = 24 * 60 // step_minutes
            for step in range(1, steps + 1):
                now = start + timedelta(minutes=step * step_minutes)
                with (
                    patch.object(dt_util, "utcnow", return_value=now),
                    patch.object(
                        dt_util,
                        "now",
                        side_effect=lambda tz=None, now=now: now.astimezone(
                            tz or dt_util.get_default_time_zone()
                        ),
                    ),
                ):
                    async_fire_time_changed(hass, now)
                    await hass.async_block_till_done()
            # Counted at the end of the day, in the steady state: a delayed
            # store write keeps a final-write listener only until it is done.
            bus_listeners = _bus_listeners(hass) - bus_before - 1
            unsub()
            own, entity = f"{side}:own", f"{side}:entity"
            timers = {
                "own_pending": tracker.pending(own),
                "own_wakeups": tracker.fired[own],
                "own_scheduled": tracker.created[own],
                "entity_pending": tracker.pending(entity),
                "entity_wakeups": tracker.fired[entity],
            }
            await unload_all(hass)
            timers["left_after_unload"] = tracker.pending(own) + tracker.pending(entity)
        domain = DOMAIN if side == OURS else REF_DOMAIN
        polling = sum(
            1
            for platform_ in entity_platform.async_get_platforms(hass, domain)
            for entity in platform_.entities.values()
            if entity.should_poll
        )
    return DayProfile(
        **{key: value / count for key, value in timers.items()},
        state_listeners=state_listeners / count,
        bus_listeners=bus_listeners / count,
        state_writes=sum(writes.values()) / count,
        polling_entities=polling,
    )


async def measure_day(config: BenchConfig, result: BenchResult) -> None:
    """Count timers, listeners and state writes per entry over a quiet day."""
    count = config.day_entries
    step = config.day_step_minutes
    ours = await simulate_day(OURS, count, result.entities_per_entry, step)
    ref = await simulate_day(REFERENCE, count, result.entities_per_entry, step)
    rows = (
        ("own timers pending per entry", "own_pending", "<= 1 (midnight)", 1.0),
        ("own timer wake-ups per entry per quiet day", "own_wakeups", "<= 1", 1.0),
        ("own timers scheduled per entry per quiet day", "own_scheduled", "-", None),
        (
            "HA base-class timers per entry (calendar alarm)",
            "entity_pending",
            "-",
            None,
        ),
        ("HA base-class wake-ups per entry per quiet day", "entity_wakeups", "-", None),
        ("state-change listeners per entry", "state_listeners", "<= 3 (sources)", 3.0),
        ("timers left per entry after unload", "left_after_unload", "0", 0.0),
        ("bus listeners per entry", "bus_listeners", "-", None),
        ("state writes per entry per quiet day", "state_writes", "-", None),
    )
    for figure, attr, budget, limit in rows:
        value = float(getattr(ours, attr))
        reference = float(getattr(ref, attr))
        result.rows.append(
            Row(
                figure,
                value,
                reference,
                "",
                budget,
                None if limit is None else value <= limit,
                _ratio(value, reference),
            )
        )
    result.rows.append(
        Row(
            f"polling entities ({count} entries)",
            ours.polling_entities,
            ref.polling_entities,
            "",
            "0",
            ours.polling_entities == 0,
            None,
        )
    )


async def measure_thermostat_updates(config: BenchConfig, result: BenchResult) -> None:
    """Issue 14's figures (``benchmarks/health_bench.py``)."""
    from .health_bench import measure_thermostat_updates as measure

    await measure(config, result)


async def run_benchmark(config: BenchConfig) -> BenchResult:
    """Measure every figure; the rows are in the result."""
    result = BenchResult()
    with reference_integration(), BlockingCallCounter() as blocking:
        await measure_setup(config, result)
        await measure_lookup(config, result)
        await measure_catalog(config, result)
        await measure_day(config, result)
        await measure_thermostat_updates(config, result)
    result.blocking_calls = list(blocking.calls)
    ours = blocking.count(OURS)
    result.rows.append(
        Row(
            "blocking calls in the event loop",
            ours,
            blocking.count(REFERENCE),
            "",
            "0",
            ours == 0,
            None,
        )
    )
    return result


# ------------------------------------------------------------------ output


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if float(value).is_integer() and abs(value) < 1e6:
        text = f"{int(value)}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".rstrip()


def format_table(rows: Sequence[Row]) -> str:
    """Return the rows as a Markdown table."""
    lines = [
        "| figure | value | reference | ratio | budget | pass |",
        "|---|---:|---:|---:|---|:---:|",
    ]
    for row in rows:
        verdict = {True: "yes", False: "**NO**", None: "-"}[row.passed]
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(
            f"| {row.figure} | {_number(row.value, row.unit)} | "
            f"{_number(row.reference, row.unit)} | {ratio} | {row.budget} | {verdict} |"
        )
    return "\n".join(lines)


def machine_description() -> str:
    """Describe the machine and software the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Home Assistant {ha_const.__version__}"
    )


def readme_section(
    table: str, config: BenchConfig, when: datetime, note: str = ""
) -> str:
    """Return the README text that goes between the markers."""
    sizes = ", ".join(str(size) for size in config.sizes)
    return (
        f"Measured {when:%Y-%m-%d} with `scripts/bench` on {machine_description()}.\n"
        f"Setup: {config.rounds} interleaved rounds per size ({sizes} "
        "entries, every feature on) against `bench_reference`, a minimal "
        "integration with as many plain entities per entry; the ratio is the "
        "median of the per-round ratios; translations are loaded before the "
        "timed setup, as Home Assistant's bootstrap does; lookup: "
        f"{config.lookup_samples} interleaved calls against a no-op service with "
        f"the same schema; a quiet day: {config.day_entries} entries, "
        f"time advanced in {config.day_step_minutes}-minute steps.\n\n"
        f"{table}\n" + (f"\n{note}\n" if note else "")
    )


def write_readme(section: str, path: os.PathLike[str] | str = README) -> bool:
    """Replace the text between the bench markers; False if they are missing."""
    readme = Path(path)
    if not readme.exists():
        return False
    text = readme.read_text(encoding="utf-8")
    begin = text.find(BEGIN_MARKER)
    end = text.find(END_MARKER)
    if begin < 0 or end < begin:
        return False
    head = text[: begin + len(BEGIN_MARKER)]
    readme.write_text(f"{head}\n{section}{text[end:]}", encoding="utf-8")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table; 1 when a budget fails."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="a fast, rough run (smaller sizes)"
    )
    parser.add_argument("--rounds", type=int, help="setup rounds per size")
    parser.add_argument(
        "--write-readme",
        action="store_true",
        help="also record the table in README.md's Performance section",
    )
    args = parser.parse_args(argv)
    config = QUICK if args.quick else BenchConfig()
    if args.rounds:
        config = BenchConfig(
            sizes=config.sizes,
            rounds=args.rounds,
            lookup_samples=config.lookup_samples,
            catalog_rounds=config.catalog_rounds,
            day_entries=config.day_entries,
            day_step_minutes=config.day_step_minutes,
        )
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger(__name__).setLevel(logging.WARNING)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    result = asyncio.run(run_benchmark(config))
    table = format_table(result.rows)
    print(table)
    if note := result.spread_note():
        print(f"\n{note}")
    status = 1 if result.failed else 0
    for row in result.failed:
        print(f"budget failed: {row.figure}", file=sys.stderr)
    if args.write_readme:
        section = readme_section(table, config, dt_util.now(), note)
        if write_readme(section):
            print(f"recorded in {README}", file=sys.stderr)
        else:
            print(
                f"{README} has no {BEGIN_MARKER} … {END_MARKER} section: not recorded",
                file=sys.stderr,
            )
            status = status or 3
    return status


if __name__ == "__main__":
    sys.exit(main())
