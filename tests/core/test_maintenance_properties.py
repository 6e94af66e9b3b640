"""Property tests: runtime accounting never double counts nor invents time;
an undone completion leaves no trace."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
import math
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from custom_components.heat_pump_care.maintenance import (
    MaintenanceConfig,
    MaintenanceState,
    RuntimeState,
    TaskKey,
    apply_seeds,
    collect_due_notifications,
    local_date,
    mark_done,
    runtime_checkpoint,
    runtime_hours,
    runtime_set_running,
    runtime_suspend,
    undo_completion,
)

ZONES = ["Europe/Amsterdam", "America/New_York", "Asia/Beirut", "Australia/Lord_Howe"]
# Days near daylight-saving changes (and a leap day) so runs cross them.
ANCHORS = [
    date(2025, 3, 30),
    date(2025, 10, 26),
    date(2025, 3, 9),
    date(2025, 11, 2),
    date(2025, 4, 6),
    date(2028, 2, 29),
]
OPS = ["on", "off", "checkpoint", "suspend", "reload"]

operation = st.tuples(st.sampled_from(OPS), st.integers(min_value=0, max_value=86_400))


def _day_length(day: date, zone: ZoneInfo) -> float:
    start = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
    return (end - start).total_seconds()


@settings(max_examples=300, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    anchor=st.sampled_from(ANCHORS),
    offset=st.integers(min_value=-3 * 86_400, max_value=86_400),
    ops=st.lists(operation, max_size=45),
)
def test_runtime_total_is_the_sum_of_running_intervals(
    zone_name: str, anchor: date, offset: int, ops: list[tuple[str, int]]
) -> None:
    zone = ZoneInfo(zone_name)
    now = datetime.combine(anchor, time(), tzinfo=UTC) + timedelta(seconds=offset)
    state = RuntimeState()
    # What really happened: the heat pump's running time, and the part of it
    # a crash (reload without suspend) lost since the last save point.
    running_since: datetime | None = None
    saved_at: datetime | None = None
    real = 0.0
    lost = 0.0
    for op, gap in ops:
        now += timedelta(seconds=gap)
        if op == "on":
            runtime_set_running(state, True, now.astimezone(zone), zone)
            if running_since is None:
                running_since = saved_at = now
        elif op == "checkpoint":
            runtime_checkpoint(state, now, zone)
            if running_since is not None:
                saved_at = now
        elif op == "reload":
            state = RuntimeState.from_dict(state.to_dict())
            if running_since is not None and saved_at is not None:
                real += (now - running_since).total_seconds()
                lost += (now - saved_at).total_seconds()
            running_since = saved_at = None
        else:  # off, suspend
            if op == "off":
                runtime_set_running(state, False, now, zone)
            else:
                runtime_suspend(state, now, zone)
            if running_since is not None:
                real += (now - running_since).total_seconds()
            running_since = saved_at = None
        counted = runtime_hours(state, now) * 3600
        in_flight = (
            0.0 if running_since is None else (now - running_since).total_seconds()
        )
        assert math.isclose(counted, real + in_flight - lost, abs_tol=1e-6)
    runtime_suspend(state, now, zone)  # Home Assistant stops at the end
    if running_since is not None:
        real += (now - running_since).total_seconds()
    assert state.running_since is None
    assert math.isclose(state.total_seconds, real - lost, abs_tol=1e-6)
    assert state.total_seconds <= real + 1e-6
    assert math.isclose(
        math.fsum(state.daily_seconds.values()), state.total_seconds, abs_tol=1e-6
    )
    for day, seconds in state.daily_seconds.items():
        assert 0 < seconds <= _day_length(day, zone)
    if "reload" not in {op for op, _ in ops}:
        assert lost == 0
        assert state.total_seconds == real


@settings(max_examples=200, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    anchor=st.sampled_from(ANCHORS),
    offset=st.integers(min_value=0, max_value=86_399),
    ticks=st.lists(
        st.tuples(st.sampled_from(list(TaskKey)), st.integers(0, 400)),
        min_size=1,
        max_size=6,
    ),
    run_hours=st.integers(min_value=0, max_value=40),
)
def test_undo_leaves_the_state_as_before_the_last_tick(
    zone_name: str,
    anchor: date,
    offset: int,
    ticks: list[tuple[TaskKey, int]],
    run_hours: int,
) -> None:
    zone = ZoneInfo(zone_name)
    start = datetime.combine(anchor, time(), tzinfo=UTC) + timedelta(seconds=offset)
    today = local_date(start, zone)
    config = MaintenanceConfig(dict.fromkeys(TaskKey, 30), 100)
    state = MaintenanceState.empty()
    apply_seeds(state, dict.fromkeys(TaskKey, today - timedelta(days=200)))
    runtime_set_running(state.runtime, True, start - timedelta(hours=run_hours), zone)
    runtime_suspend(state.runtime, start, zone)
    collect_due_notifications(state, config, start, zone)
    *earlier, (task, days_ago) = ticks
    for other, other_ago in earlier:
        mark_done(
            state, other, today - timedelta(days=other_ago), today, start, zone, "x"
        )
    before = state.to_dict()
    before.pop("undo", None)
    before_undo = {t: u for t, u in state.undo.items() if t is not task}
    mark_done(state, task, today - timedelta(days=days_ago), today, start, zone, "x")
    undo_completion(state, task, start, zone)
    after = state.to_dict()
    after.pop("undo", None)
    assert after == before
    assert state.undo == before_undo
