"""Feeding the state: thermostat samples, outdoor readings, resets, restarts.

Between two inputs nothing is known but the last one, so the unit is taken to
keep doing what it last reported; each input first accounts the time since
the previous one (``advance``) and then applies the change it brings. The
clock never runs backwards: an input dated before the last one is treated as
happening at the last one, so nothing is counted twice.

The one exception to "the last report holds" is a stop of Home Assistant:
``suspend`` accounts up to the stop and makes the state *blind* until the
thermostat reports again, so the hours Home Assistant was down are not
counted as running, and the first known action afterwards decides whether the
run that was under way continued (same run, no new start) or ended.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta, tzinfo
import math

from .clock import as_utc, local_date
from .days import DAY_LIMIT, day_start, split_days
from .sample import (
    DEFROSTING,
    Direction,
    Sample,
    clean,
    gap,
    run_direction,
    starts_run,
    target,
)
from .state import RESET_LIMIT, RESET_WINDOW, RUN_WINDOW, START_WINDOW, HealthState


def advance(state: HealthState, now: datetime, tz: tzinfo) -> datetime:
    """Account the time up to ``now`` and return the instant reached (UTC).

    Run time, heating time, watched time and the outdoor temperature integral
    are split over local days; only the kept days are filled, so a long gap
    costs no more than a week of days. Then the ring buffers are pruned.
    """
    moment = as_utc(now)
    start = state.clock
    if start is not None and moment <= start:
        return start
    state.clock = moment
    if start is not None:
        _accrue(state, start, moment, tz)
    _prune(state, moment, tz)
    return moment


def _accrue(state: HealthState, start: datetime, end: datetime, tz: tzinfo) -> None:
    """Add [start, end) to the counters, by what was in force then."""
    running = state.running
    action = None if state.blind or state.last is None else state.last.action
    heating = running and run_direction(action) == "heat"
    watched = action is not None
    outdoor = state.outdoor
    if running:
        state.run_seconds += (end - start).total_seconds()
    if not (running or watched or outdoor is not None):
        return
    first_kept = day_start(local_date(end, tz) - timedelta(days=DAY_LIMIT - 1), tz)
    for day, seconds in split_days(max(start, first_kept), end, tz):
        record = state.day(day)
        if running:
            record.runtime += seconds
        if heating:
            record.heating += seconds
        if watched:
            record.watched += seconds
        if outdoor is not None:
            record.temp_sum += outdoor * seconds
            record.temp_time += seconds


def _prune(state: HealthState, moment: datetime, tz: tzinfo) -> None:
    """Drop what has left its window: old days, starts, runs and resets."""
    oldest = local_date(moment, tz) - timedelta(days=DAY_LIMIT - 1)
    for day in [day for day in state.days if day < oldest]:
        del state.days[day]
    while state.starts and state.starts[0] <= moment - START_WINDOW:
        state.starts.popleft()
    while state.runs and state.runs[0][0] <= moment - RUN_WINDOW:
        state.runs.popleft()
    while state.resets and state.resets[0] <= moment - RESET_WINDOW:
        state.resets.popleft()


def observe(state: HealthState, sample: Sample, now: datetime, tz: tzinfo) -> None:
    """Take a state of the climate entity (any change, or the first one).

    A run starts when the unit goes from not running to heating, preheating or
    cooling; it ends when the action is anything but those or defrosting. A
    defrost episode is counted when the action becomes ``defrosting``. While
    blind after a restart, an unknown action (``None``) is ignored: the
    entity is often unavailable for a moment while Home Assistant starts, and
    that must not end the run nor, a moment later, invent a new one.
    """
    moment = advance(state, now, tz)
    sample = clean(sample)
    if state.blind and sample.action is None:
        return
    before = state.last
    was_running = state.run_start is not None
    way = run_direction(sample.action)
    running = way is not None and (was_running or starts_run(sample.action))
    if running and not was_running:
        state.run_start = moment
        state.run_seconds = 0.0
        state.starts.append(moment)
        state.day(local_date(moment, tz)).cycles += 1
    elif was_running and not running:
        state.runs.append((moment, state.run_seconds))
        state.run_start = None
        state.run_seconds = 0.0
    if sample.action == DEFROSTING and (before is None or before.action != DEFROSTING):
        state.day(local_date(moment, tz)).defrosts += 1
    _track_gap(
        state,
        before,
        sample,
        way if running else None,
        was_running=was_running,
        moment=moment,
    )
    state.last = sample
    state.blind = False


def _track_gap(
    state: HealthState,
    before: Sample | None,
    sample: Sample,
    way: Direction | None,
    *,
    was_running: bool,
    moment: datetime,
) -> None:
    """Update the not-keeping-up streak and what clears the problem.

    ``way`` is the direction of the run under way, ``None`` when not running.
    """
    if way is None:
        state.gaps.reset()
        if was_running:
            state.cleared_at = moment
        return
    if not was_running or before is None:
        state.gaps.reset()
    elif run_direction(before.action) != way:
        state.gaps.reset()
        state.cleared_at = moment
    elif target(before, way) != target(sample, way):
        state.gaps.reset()
    behind = gap(sample, way)
    if behind is None:
        return
    if behind <= 0:
        state.gaps.reset()
        state.cleared_at = moment
        return
    state.gaps.add(moment, behind)


def observe_outdoor(
    state: HealthState, temperature: float | None, now: datetime, tz: tzinfo
) -> None:
    """Take the outdoor temperature (°C) in force from ``now`` on.

    ``None`` (sensor unavailable) stops the degree-day integral until the next
    reading; a reading holds until the next one, as sensors report changes only.
    """
    advance(state, now, tz)
    if temperature is None or isinstance(temperature, bool):
        state.outdoor = None
        return
    value = float(temperature)
    state.outdoor = value if math.isfinite(value) else None


def record_reset(state: HealthState, at: datetime) -> None:
    """Count a safe reset that cut the power at ``at``."""
    moment = as_utc(at)
    kept = sorted([*state.resets, moment])[-RESET_LIMIT:]
    state.resets = deque(kept, maxlen=RESET_LIMIT)


def relearn(state: HealthState, now: datetime, tz: tzinfo) -> None:
    """Learn the baseline again: a professional service was done.

    Learning starts with the next local day, the first one wholly after the
    service; the efficiency-drop problem ends at once (the service dealt with
    it, and the old baseline no longer describes the unit).
    """
    moment = advance(state, now, tz)
    baseline = state.baseline
    baseline.restart(local_date(moment, tz) + timedelta(days=1), baseline.base)


def suspend(state: HealthState, now: datetime, tz: tzinfo) -> None:
    """Home Assistant stops: account up to ``now`` and count nothing after.

    The run under way is kept open (a restart that finds the unit still
    running continues it), the outdoor reading lapses and the streak of not
    keeping up starts again after the restart.
    """
    advance(state, now, tz)
    state.blind = True
    state.outdoor = None
    state.gaps.reset()
