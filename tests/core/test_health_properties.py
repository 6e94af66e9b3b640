"""Property tests over random thermostat histories with random time steps.

A small, independent model of the rules (runs start from not running into
heating/preheating/cooling, defrosting continues a run, a clean restart is
blind until a known action) is run alongside the core; the core must agree
with it on every report.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
import math
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from custom_components.heat_pump_care.health import (
    START_LIMIT,
    GapTracker,
    HealthReport,
    HealthSettings,
    HealthState,
    assess,
    next_change,
    observe,
    observe_outdoor,
    record_reset,
    relearn,
    suspend,
)

from .test_health_support import round_trip, sample

ZONES = [ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/New_York")]
# Around daylight-saving changes, so histories cross 23- and 25-hour days.
ANCHORS = [
    datetime(2025, 3, 29, 20, tzinfo=UTC),
    datetime(2025, 10, 25, 20, tzinfo=UTC),
    datetime(2025, 3, 8, 20, tzinfo=UTC),
    datetime(2025, 11, 1, 20, tzinfo=UTC),
    datetime(2025, 1, 15, 6, tzinfo=UTC),
]
ACTIONS = [
    "heating",
    "preheating",
    "cooling",
    "defrosting",
    "idle",
    "off",
    "fan",
    "drying",
    None,
]
START_ACTIONS = {"heating", "preheating", "cooling"}

steps = st.one_of(
    st.integers(0, 600), st.integers(0, 4 * 3600), st.integers(0, 30 * 3600)
)
temperatures = st.none() | st.floats(10, 30).map(lambda value: round(value, 1))
operations = st.one_of(
    st.tuples(st.just("observe"), st.sampled_from(ACTIONS), temperatures, steps),
    st.tuples(st.just("restart"), st.none(), st.none(), steps),
    st.tuples(st.just("crash"), st.none(), st.none(), steps),
)
extra_operations = st.one_of(
    operations,
    st.tuples(st.just("outdoor"), st.none() | st.floats(-15, 20), st.none(), steps),
    st.tuples(st.just("reset"), st.none(), st.none(), steps),
    st.tuples(st.just("service"), st.none(), st.none(), steps),
)

type Op = tuple[str, object, object, int]


def day_start(day: date, tz: tzinfo) -> datetime:
    # Both zones change their clocks at 02:00, so midnight always exists.
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


@dataclass
class Model:
    """What really happened, in the rules' own words."""

    tz: tzinfo
    in_run: bool = False
    blind: bool = False
    last: str | None = None
    since: datetime | None = None  # start of the counted stretch of running
    starts: list[datetime] = field(default_factory=list)
    defrosts: list[datetime] = field(default_factory=list)
    running: list[tuple[datetime, datetime]] = field(default_factory=list)

    def _close(self, now: datetime) -> None:
        if self.since is not None:
            self.running.append((self.since, now))
            self.since = None

    def observe(self, action: str | None, now: datetime) -> None:
        if self.blind and action is None:
            return
        running = action in START_ACTIONS or (self.in_run and action == "defrosting")
        if running and not self.in_run:
            self.starts.append(now)
        if action == "defrosting" and self.last != "defrosting":
            self.defrosts.append(now)
        self._close(now)
        self.in_run, self.last, self.blind = running, action, False
        self.since = now if running else None

    def suspend(self, now: datetime) -> None:
        self._close(now)
        self.blind = True

    def today(self, now: datetime) -> tuple[int, int, float]:
        """Cycles, defrosts and running seconds of the local day of ``now``."""
        day = now.astimezone(self.tz).date()
        begin = day_start(day, self.tz)
        stretches = [*self.running]
        if self.since is not None:
            stretches.append((self.since, now))
        seconds = math.fsum(
            max(0.0, (min(end, now) - max(start, begin)).total_seconds())
            for start, end in stretches
        )
        cycles = sum(1 for at in self.starts if at.astimezone(self.tz).date() == day)
        defrosts = sum(
            1 for at in self.defrosts if at.astimezone(self.tz).date() == day
        )
        return cycles, defrosts, seconds


def apply(state: HealthState, op: Op, now: datetime, tz: tzinfo) -> HealthState:
    """Apply one operation to the core; return the (possibly read-back) state."""
    kind, value, room, _ = op
    if kind == "observe":
        observe(state, sample(value, room=room), now, tz)  # type: ignore[arg-type]
    elif kind == "restart":
        suspend(state, now, tz)
        state = round_trip(state)
    elif kind == "crash":
        state = round_trip(state)
    elif kind == "outdoor":
        observe_outdoor(state, value, now, tz)  # type: ignore[arg-type]
    elif kind == "reset":
        record_reset(state, now)
    else:
        relearn(state, now, tz)
    return state


@settings(max_examples=300, deadline=None)
@given(
    tz=st.sampled_from(ZONES),
    start=st.sampled_from(ANCHORS),
    ops=st.lists(operations, max_size=60),
)
def test_cycles_and_run_time_follow_the_rules(
    tz: tzinfo, start: datetime, ops: list[Op]
) -> None:
    state, model, now = HealthState.empty(), Model(tz), start
    for op in ops:
        kind, action, _, step = op
        state = apply(state, op, now, tz)
        if kind == "observe":
            model.observe(action, now)  # type: ignore[arg-type]
        elif kind == "restart":
            model.suspend(now)
        report = assess(state, now, tz, HealthSettings())
        cycles, defrosts, seconds = model.today(now)
        assert report.cycles_today == cycles
        assert report.defrosts_today == defrosts
        record = state.days.get(now.astimezone(tz).date())
        assert math.isclose(record.runtime if record else 0.0, seconds, abs_tol=1e-6)
        assert abs(report.runtime_today_hours - seconds / 3600) <= 0.005 + 1e-9
        recent = sum(1 for at in model.starts if now - timedelta(hours=1) < at <= now)
        assert report.starts_last_hour == min(recent, START_LIMIT)
        now += timedelta(seconds=step)


@settings(max_examples=200, deadline=None)
@given(
    tz=st.sampled_from(ZONES),
    start=st.sampled_from(ANCHORS),
    ops=st.lists(extra_operations, max_size=40),
)
def test_no_count_survives_local_midnight(
    tz: tzinfo, start: datetime, ops: list[Op]
) -> None:
    state, now = HealthState.empty(), start
    for op in ops:
        state = apply(state, op, now, tz)
        assess(state, now, tz, HealthSettings())
        now += timedelta(seconds=op[3])
    day = now.astimezone(tz).date() + timedelta(days=1)
    report = assess(state, day_start(day, tz), tz, HealthSettings())
    assert (report.cycles_today, report.defrosts_today) == (0, 0)
    assert report.runtime_today_hours == 0.0


@settings(max_examples=200, deadline=None)
@given(
    tz=st.sampled_from(ZONES),
    start=st.sampled_from(ANCHORS),
    ops=st.lists(extra_operations, max_size=40),
    trips=st.lists(st.booleans(), min_size=40, max_size=40),
    thresholds=st.builds(
        HealthSettings,
        short_cycle_starts=st.integers(4, 8),
        not_keeping_up_hours=st.sampled_from([0.5, 1.0, 3.0]),
        baseline_days=st.just(7),
    ),
)
def test_a_round_trip_at_any_point_never_changes_a_figure(
    tz: tzinfo,
    start: datetime,
    ops: list[Op],
    trips: list[bool],
    thresholds: HealthSettings,
) -> None:
    kept, restored, now = HealthState.empty(), HealthState.empty(), start
    for op, trip in zip(ops, trips, strict=False):
        kept = apply(kept, op, now, tz)
        restored = apply(restored, op, now, tz)
        if trip:
            restored = round_trip(restored)
        assert assess(restored, now, tz, thresholds) == assess(
            kept, now, tz, thresholds
        )
        assert next_change(restored, now, tz, thresholds) == next_change(
            kept, now, tz, thresholds
        )
        now += timedelta(seconds=op[3])
    assert restored == kept


def _without_runtime(report: HealthReport) -> HealthReport:
    return replace(report, runtime_today_hours=0.0)


@settings(max_examples=200, deadline=None)
@given(
    tz=st.sampled_from(ZONES),
    start=st.sampled_from(ANCHORS),
    ops=st.lists(extra_operations, max_size=40),
    fraction=st.floats(0, 1, exclude_max=True),
)
def test_nothing_changes_before_next_change_but_the_run_time(
    tz: tzinfo, start: datetime, ops: list[Op], fraction: float
) -> None:
    state, now = HealthState.empty(), start
    thresholds = HealthSettings(not_keeping_up_hours=0.5)
    for op in ops:
        state = apply(state, op, now, tz)
        assess(state, now, tz, thresholds)
        now += timedelta(seconds=op[3])
    report = assess(state, now, tz, thresholds)
    due = next_change(state, now, tz, thresholds)
    assert due is not None
    midnight = day_start(now.astimezone(tz).date() + timedelta(days=1), tz)
    assert now < due <= midnight
    # timedelta * float rounds to microseconds: stay strictly before ``due``.
    later = min(now + (due - now) * fraction, due - timedelta(microseconds=1))
    seen = assess(round_trip(state), later, tz, thresholds)
    assert _without_runtime(seen) == _without_runtime(report)
    if not state.running:
        assert seen.runtime_today_hours == report.runtime_today_hours


def _streak_by_hand(gaps: list[float], threshold: float) -> int | None:
    """Index of the reading the streak for ``threshold`` starts at, by brute force."""
    values = [round(gap, 1) for gap in gaps]
    period = 0  # first reading after the last progress
    peak = values[0]
    for index, value in enumerate(values[1:], start=1):
        if value < peak - 0.5 - 1e-9:
            period, peak = index, value
        else:
            peak = max(peak, value)
    for index in range(period, len(values)):
        if all(value >= threshold - 1e-9 for value in values[index:]):
            return index
    return None


@settings(max_examples=500, deadline=None)
@given(
    gaps=st.lists(st.floats(-1, 7), min_size=1, max_size=40),
    threshold=st.floats(0.5, 5.0).map(lambda value: round(value, 1)),
)
def test_the_gap_staircase_answers_like_a_brute_force_search(
    gaps: list[float], threshold: float
) -> None:
    tracker = GapTracker()
    start = datetime(2025, 1, 15, tzinfo=UTC)
    for minute, gap in enumerate(gaps):
        tracker.add(start + timedelta(minutes=minute), gap)
    expected = _streak_by_hand(gaps, threshold)
    since = tracker.since(threshold)
    assert since == (None if expected is None else start + timedelta(minutes=expected))
