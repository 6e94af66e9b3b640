"""Judging the state: the problem flags, the report, and the next wake-up.

``assess`` is where the problems switch on and off, because only it gets the
owner's thresholds. Each flag is sticky with hysteresis, so a dashboard or an
automation sees a state that holds, not a reading that flickers:

* short cycling: on at ``short_cycle_starts`` starts in the rolling hour with
  a short median period, off at ``short_cycle_clear_starts`` or fewer;
* not keeping up: on once the streak reaches ``not_keeping_up_hours``, off
  when the run ends, turns the other way or the room reaches the target;
* efficiency drop: decided once per complete day (see ``baseline``).

``next_change`` tells the shell when, without new input, the report could
next differ, so it needs one timer and no polling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import pairwise
from statistics import median

from .baseline import update as update_baseline
from .clock import as_utc, local_date, next_local_midnight
from .days import degree_day_figure
from .sample import gap, run_direction
from .settings import HealthSettings
from .state import RESET_WINDOW, RUN_WINDOW, START_WINDOW, HealthState
from .timeline import advance

SHORT_CYCLING = "short_cycling"
NOT_KEEPING_UP = "not_keeping_up"
EFFICIENCY_DROP = "efficiency_drop"
FREQUENT_RESETS = "frequent_resets"
PROBLEMS = frozenset({SHORT_CYCLING, NOT_KEEPING_UP, EFFICIENCY_DROP, FREQUENT_RESETS})

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthReport:
    """The figures and problems of one heat pump as of one instant.

    Rounded so that equal reports mean nothing visible changed: hours to
    0.01 h, minutes and °C to 0.1, degree-day figures to 0.001 h per degree
    day. ``short_cycling`` in ``problems`` is the fast state; the slow problem
    is ``short_cycling_days`` reaching ``short_cycle_repair_days``.
    """

    cycles_today: int
    runtime_today_hours: float
    defrosts_today: int
    median_run_minutes: float | None
    starts_last_hour: int
    short_cycling: bool
    short_cycling_since: datetime | None
    short_cycling_days: int
    not_keeping_up: bool
    not_keeping_up_since: datetime | None
    gap: float | None
    runtime_per_degree_day: float | None
    baseline: float | None
    learning: bool
    learning_days: int
    efficiency_drop: bool
    efficiency_drop_since: datetime | None
    resets_last_30_days: int
    problems: frozenset[str]


def short_cycling_repair(report: HealthReport, settings: HealthSettings) -> bool:
    """Whether short cycling has lasted long enough for a repair (the slow problem)."""
    return report.short_cycling_days >= settings.short_cycle_repair_days


def assess(
    state: HealthState, now: datetime, tz: tzinfo, settings: HealthSettings
) -> HealthReport:
    """Account up to ``now``, update the problem flags and report.

    Mutates ``state`` (the accounting, the sticky flags and their
    since-instants, the short-cycling days, the degree-day learning), so the
    shell persists it afterwards like after ``observe``.
    """
    moment = advance(state, now, tz)
    today = local_date(moment, tz)
    _update_short_cycling(state, moment, tz, settings)
    _update_not_keeping_up(state, moment, settings)
    update_baseline(
        state.baseline, state.days, today=today, moment=moment, tz=tz, settings=settings
    )
    return _report(state, moment, today, tz, settings)


def _period_median(starts: list[datetime]) -> float:
    """Median seconds from one start to the next."""
    return median(
        (later - earlier).total_seconds() for earlier, later in pairwise(starts)
    )


def _update_short_cycling(
    state: HealthState, moment: datetime, tz: tzinfo, settings: HealthSettings
) -> None:
    """Switch the fast state and extend the run of short-cycling days.

    The flag was on without a break from its since-instant up to now, so every
    local day in between had short cycling at some moment.
    """
    starts = list(state.starts)
    today = local_date(moment, tz)
    if state.short_cycling_since is not None:
        _mark_days(state, local_date(state.short_cycling_since, tz), today)
        if len(starts) <= settings.short_cycle_clear_starts:
            state.short_cycling = False
            state.short_cycling_since = None
    elif (
        len(starts) >= settings.short_cycle_starts
        and _period_median(starts) <= settings.short_cycle_period_minutes * 60
    ):
        state.short_cycling = True
        state.short_cycling_since = moment
        _mark_days(state, today, today)


def _mark_days(state: HealthState, first: date, last: date) -> None:
    """Record that short cycling was on at some moment on ``first`` .. ``last``."""
    if state.cycling_last is None or first > state.cycling_last + _DAY:
        state.cycling_first = first
        state.cycling_last = last
    elif last > state.cycling_last:
        state.cycling_last = last


def _cycling_days(state: HealthState, today: date) -> int:
    """Consecutive local days with short cycling, up to today.

    Today only breaks the run once it is over: until then the run that ended
    yesterday still counts, so a repair raised on it does not flicker off at
    every midnight.
    """
    first, last = state.cycling_first, state.cycling_last
    if first is None or last is None or last < today - _DAY:
        return 0
    return (last - first).days + 1


def _update_not_keeping_up(
    state: HealthState, moment: datetime, settings: HealthSettings
) -> None:
    """Switch not keeping up on at the end of a streak, off when cleared."""
    since = state.not_keeping_up_since
    if since is not None and state.cleared_at is not None and state.cleared_at >= since:
        state.not_keeping_up = False
        state.not_keeping_up_since = None
    if state.not_keeping_up or not state.running:
        return
    reached = _streak_end(state, settings)
    if reached is not None and reached <= moment:
        state.not_keeping_up = True
        state.not_keeping_up_since = reached


def _streak_end(state: HealthState, settings: HealthSettings) -> datetime | None:
    """Return when the current streak reaches the not-keeping-up duration."""
    start = state.gaps.since(settings.not_keeping_up_gap)
    if start is None:
        return None
    return start + timedelta(hours=settings.not_keeping_up_hours)


def _report(
    state: HealthState,
    moment: datetime,
    today: date,
    tz: tzinfo,
    settings: HealthSettings,
) -> HealthReport:
    """Read the figures off the (accounted, pruned) state."""
    record = state.days.get(today)
    runs = [seconds / 60 for end, seconds in state.runs if end > moment - RUN_WINDOW]
    # The gap matters only during a run (and is shown while not keeping up).
    room = None
    way = None if state.last is None else run_direction(state.last.action)
    if state.last is not None and way is not None and state.running:
        room = gap(state.last, way)
    figure = degree_day_figure(state.days, today - _DAY, tz, settings.degree_day_base)
    baseline = state.baseline
    resets = sum(1 for at in state.resets if at > moment - RESET_WINDOW)
    problems = {
        name
        for name, active in (
            (SHORT_CYCLING, state.short_cycling),
            (NOT_KEEPING_UP, state.not_keeping_up),
            (EFFICIENCY_DROP, baseline.drop),
            (FREQUENT_RESETS, resets > settings.frequent_resets),
        )
        if active
    }
    return HealthReport(
        cycles_today=0 if record is None else record.cycles,
        runtime_today_hours=0.0 if record is None else round(record.runtime / 3600, 2),
        defrosts_today=0 if record is None else record.defrosts,
        median_run_minutes=round(median(runs), 1) if runs else None,
        starts_last_hour=sum(1 for at in state.starts if at > moment - START_WINDOW),
        short_cycling=state.short_cycling,
        short_cycling_since=state.short_cycling_since,
        short_cycling_days=_cycling_days(state, today),
        not_keeping_up=state.not_keeping_up,
        not_keeping_up_since=state.not_keeping_up_since,
        # Shown while the problem is on: it explains it; in a normal run the
        # room creeping towards the target would rewrite the entity each report.
        gap=None if room is None or not state.not_keeping_up else round(room, 1),
        runtime_per_degree_day=None if figure is None else round(figure, 3),
        baseline=None if baseline.value is None else round(baseline.value, 3),
        learning=baseline.value is None,
        learning_days=baseline.days,
        efficiency_drop=baseline.drop,
        efficiency_drop_since=baseline.drop_since,
        resets_last_30_days=resets,
        problems=frozenset(problems),
    )


def next_change(
    state: HealthState, now: datetime, tz: tzinfo, settings: HealthSettings
) -> datetime | None:
    """Return the next instant (UTC) the report could change without new input.

    The earliest of: a start leaving the rolling hour, a finished run leaving
    the 24 hours of the median, a reset leaving the 30 days, the not-keeping-up
    streak reaching its duration during a run, and the next local midnight
    (day counts, degree days, the run of short-cycling days), so never later
    than that midnight. ``runtime_today_hours`` grows by itself while the unit
    runs; it is exact whenever ``assess`` is called but gets no wake-up of its
    own. Does not change ``state``; call it after ``assess``.
    """
    moment = as_utc(now)
    if state.clock is not None:
        moment = max(moment, state.clock)
    candidates = [
        next_local_midnight(moment, tz),
        _first_after(moment, (at + START_WINDOW for at in state.starts)),
        _first_after(moment, (end + RUN_WINDOW for end, _ in state.runs)),
        _first_after(moment, (at + RESET_WINDOW for at in state.resets)),
    ]
    if state.running and not state.not_keeping_up:
        reached = _streak_end(state, settings)
        if reached is not None and reached > moment:
            candidates.append(reached)
    return min(at for at in candidates if at is not None)


def _first_after(moment: datetime, instants: Iterator[datetime]) -> datetime | None:
    """Return the first of time-ordered ``instants`` after ``moment``, if any."""
    return next((at for at in instants if at > moment), None)
