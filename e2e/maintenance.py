"""End-to-end checks of the maintenance history, notes, snooze and own tasks.

Run by ``e2e/scenario.py`` against the real Home Assistant: an own task added
through the options flow, a completion with a note, the history service, a
snooze that moves the filter everywhere, a refused snooze, and after the
restart the same history and snooze read back.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from e2e.checks import CheckError, expect
from scripts.lib.e2e_api import HassApiError

if TYPE_CHECKING:
    from e2e.scenario import Context

DOMAIN = "heat_pump_care"
SLUG = "living_room_heat_pump"
TASK_NAME = "Descale the hot-water tank"
TASK_KEY = "descale_the_hot_water_tank"
TASK_DUE = f"sensor.{SLUG}_descale_the_hot_water_tank_due"
TASK_OVERDUE = f"binary_sensor.{SLUG}_descale_the_hot_water_tank_overdue"
FILTER_DUE = f"sensor.{SLUG}_filter_change_due"
FILTER_NEEDED = f"binary_sensor.{SLUG}_filter_change_needed"
TODO = f"todo.{SLUG}_maintenance"
NOTE = "Anode checked, 2 l of sludge drained"


async def _add_task(ctx: Context, last_done: date) -> dict[str, Any]:
    """Options → Your own tasks → Add a task."""
    ha = ctx.ha
    flow = await ha.options_flow_start(ctx.entry_id)
    expect("tasks" in flow.get("menu_options", []), f"no tasks menu: {flow}")
    flow = await ha.options_flow_step(flow["flow_id"], {"next_step_id": "tasks"})
    expect(flow.get("type") == "menu", f"tasks step gave {flow}")
    flow = await ha.options_flow_step(flow["flow_id"], {"next_step_id": "add_task"})
    expect(flow.get("step_id") == "add_task", f"add_task step gave {flow}")
    return await ha.options_flow_step(
        flow["flow_id"],
        {
            "task_name": TASK_NAME,
            "task_interval_days": 30,
            "task_last_done": last_done.isoformat(),
        },
    )


async def _history(ctx: Context, **data: Any) -> list[dict[str, Any]]:
    result = await ctx.ha.call_service(
        DOMAIN,
        "get_maintenance_history",
        {"config_entry_id": ctx.entry_id, **data},
        return_response=True,
    )
    rows = result.get("history")
    expect(isinstance(rows, list), f"history answer {result}")
    return list(rows)


async def own_task_history_snooze(ctx: Context) -> str:
    """Add an own task, record a note, read the history, snooze, refuse a bad snooze."""
    ha = ctx.ha
    today = await ctx.today()
    done = await _add_task(ctx, today - timedelta(days=35))
    expect(done.get("type") == "create_entry", f"add_task gave {done}")
    await ctx.wait_loaded()
    await ctx.wait(TASK_DUE, (today - timedelta(days=5)).isoformat(), 30)
    await ctx.wait(TASK_OVERDUE, "on", 30)
    issues = [i["issue_id"] for i in await ctx.issues()]
    expect(f"{TASK_KEY}_overdue_{ctx.entry_id}" in issues, f"no repair in {issues}")
    await ha.call_service(
        DOMAIN,
        "mark_maintenance_done",
        {"config_entry_id": ctx.entry_id, "task": TASK_KEY, "note": NOTE},
    )
    await ctx.wait(TASK_DUE, (today + timedelta(days=30)).isoformat(), 30)
    await ctx.wait(TASK_OVERDUE, "off", 30)
    rows = await _history(ctx, task=TASK_KEY)
    expected = {"task": TASK_KEY, "date": today.isoformat(), "note": NOTE}
    expect(
        rows and {k: rows[0][k] for k in expected} == expected,
        f"history of the own task: {rows}",
    )
    newest = await _history(ctx, limit=1)
    expect(len(newest) == 1 and newest[0]["task"] == TASK_KEY, f"limit 1: {newest}")
    await ha.call_service(
        DOMAIN,
        "snooze_maintenance",
        {"config_entry_id": ctx.entry_id, "task": "filter", "days": 7},
    )
    until = (today + timedelta(days=7)).isoformat()
    state = await ctx.wait(FILTER_DUE, until, 30)
    snoozed = state["attributes"].get("snoozed_until")
    expect(snoozed == until, f"snoozed_until {snoozed}")
    try:
        await ha.call_service(
            DOMAIN,
            "snooze_maintenance",
            {"config_entry_id": ctx.entry_id, "task": "filter", "days": 0},
        )
    except HassApiError as err:
        expect(err.status == 400, f"days 0: HTTP {err.status}")
        expect("1 to 365" in err.body, f"days 0 refused with {err.body}")
    else:
        raise CheckError("a snooze of 0 days was accepted")
    expect(await ctx.value(FILTER_DUE) == until, "a refused snooze moved the date")
    ctx.state["history"] = {"rows": rows, "filter_due": until}
    ctx.save()
    return (
        f"own task {TASK_KEY} overdue with a repair, done with a note, "
        f"history {len(rows)} row(s); filter snoozed to {until}; days 0 refused"
    )


async def history_after_restart(ctx: Context) -> str:
    """Check that the history, its note and the snooze survive a restart."""
    saved = ctx.state["history"]
    rows = await _history(ctx, task=TASK_KEY)
    expect(rows == saved["rows"], f"history after the restart {rows} != {saved}")
    due = await ctx.value(FILTER_DUE)
    expect(due == saved["filter_due"], f"filter due {due} after the restart")
    return f"{len(rows)} row(s) with the note and the snooze to {due} kept"
