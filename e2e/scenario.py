"""The end-to-end scenario, one phase per invocation (driven by ``scripts/e2e``).

Runs with the dev venv's Python against a running Home Assistant::

    python -m e2e.scenario --url URL --token-file FILE --work DIR PHASE

Phases (in the order ``scripts/e2e`` runs them; the shell stops, kills and
restarts Home Assistant between them):

``api``              config flow, options flow, states, services, filter,
                     error code + repair, a real-time safe reset, the
                     safe-reset script from the script blueprint
``sigterm-prepare``  a relay that keeps its state, limits raised, a reset
                     started; writes the deadline for the shell
``sigterm-verify``   after SIGTERM and a restart past the deadline: power is
                     back at once
``sigkill-prepare``  a 2-minute reset; writes when the shell kills hass
``browser-prepare``  an error code (so a repair exists), a dashboard and what
                     the browser needs (``browser.json``)
``sigkill-verify``   after SIGKILL and an immediate restart: power returns at
                     the original deadline, not earlier, not much later; then
                     ``WORK/sigkill-verified`` tells the browser, which waits
                     for it before its repair and logbook steps
``final``            the browser's heat pump exists, the fault clears, no
                     errors from the integration in home-assistant.log

Every check prints ``PASS name (detail)`` or ``FAIL name: reason`` and appends
the line to ``WORK/results.txt``.  Exit status: 0 all passed, 1 a check
failed, 2 a failure the later phases cannot survive.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
import json
from pathlib import Path
import re
import sys
import time
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from e2e.checks import CheckError, expect
from e2e.maintenance import (
    NOTE,
    TASK_KEY,
    TASK_NAME,
    TODO,
    history_after_restart,
    own_task_history_snooze,
)
from scripts.lib.e2e_api import HassApiError, HassClient
from scripts.lib.hass_demo import (
    BLUEPRINT_PATH,
    SCRIPT,
    SCRIPT_ALIAS,
    SCRIPT_ID,
    DemoError,
    ensure_safe_reset_script,
)

DOMAIN = "heat_pump_care"
NAME = "Living room heat pump"
SLUG = "living_room_heat_pump"
CLIMATE = "climate.heatpump"
BREAKER = "input_boolean.heat_pump_breaker"
ERROR_TEXT = "input_text.heat_pump_error_code"
# A relay whose state survives a restart of Home Assistant, like a real one
# (the dev configuration's breaker has ``initial: true``: it is switched on
# at every start, which would hide what the integration does).
RELAY_NAME = "E2E breaker"
RELAY = "input_boolean.e2e_breaker"
ATTIC_NAME = "Attic heat pump"
DASHBOARD_URL = "heat-pump-care"
DASHBOARD_VIEW = "overview"

RESET_STATUS = f"sensor.{SLUG}_reset_status"
RESTORE_AT = f"sensor.{SLUG}_power_restore_time"
ERROR_CODE = f"sensor.{SLUG}_error_code"
ERROR_MEANING = f"sensor.{SLUG}_error_meaning"
FAULT = f"binary_sensor.{SLUG}_fault"
FILTER_AGE = f"sensor.{SLUG}_days_since_filter_change"
FILTER_DUE = f"sensor.{SLUG}_filter_change_due"
SERVICE_DUE = f"sensor.{SLUG}_next_service_due"
FILTER_BUTTON = f"button.{SLUG}_filter_changed"

OK, FAILED, FATAL = 0, 1, 2


def parse_time(value: str | None) -> datetime:
    """Parse an ISO timestamp from a state (aware, UTC)."""
    expect(
        value not in (None, "", "unknown", "unavailable"), f"no timestamp: {value!r}"
    )
    assert value is not None  # noqa: S101 - narrowed by expect
    return datetime.fromisoformat(value).astimezone(UTC)


def now_utc() -> datetime:
    """Return the current time (aware, UTC)."""
    return datetime.now(UTC)


class Context:
    """What every phase needs: the client, the work dir and the report."""

    def __init__(self, ha: HassClient, work: Path, config_dir: Path | None) -> None:
        """Load the state the earlier phases left."""
        self.ha = ha
        self.work = work
        self.config_dir = config_dir
        self.results = work / "results.txt"
        self.state_file = work / "state.json"
        self.state: dict[str, Any] = {}
        if self.state_file.exists():
            self.state = json.loads(self.state_file.read_text(encoding="utf-8"))
        self.failures = 0

    def save(self) -> None:
        """Persist the state for the next phases."""
        self.state_file.write_text(json.dumps(self.state, indent=2), encoding="utf-8")

    def write_value(self, name: str, value: float) -> None:
        """Leave a number for the shell (e.g. when to kill Home Assistant)."""
        (self.work / name).write_text(f"{value:.3f}\n", encoding="utf-8")

    def _line(self, line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        with self.results.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def note(self, message: str) -> None:
        """Print progress (not a result)."""
        sys.stdout.write(f"    {message}\n")
        sys.stdout.flush()

    async def check(self, name: str, coro: Awaitable[str | None]) -> bool:
        """Run one check; print and record its result."""
        started = time.monotonic()
        try:
            detail = await coro
        except (
            CheckError,
            DemoError,
            HassApiError,
            TimeoutError,
            RuntimeError,
            KeyError,
            ValueError,
            TypeError,
            aiohttp.ClientError,
        ) as err:
            reason = str(err) or type(err).__name__
            self._line(f"FAIL {name}: {reason}")
            self.failures += 1
            return False
        took = time.monotonic() - started
        suffix = f"{detail}; " if detail else ""
        self._line(f"PASS {name} ({suffix}{took:.1f} s)")
        return True

    @property
    def entry_id(self) -> str:
        """The Living room heat pump's config entry."""
        entry_id = self.state.get("entry_id")
        expect(entry_id, "no config entry from the config-flow step")
        return str(entry_id)

    async def today(self) -> date:
        """Today in Home Assistant's time zone."""
        conf = await self.ha.config()
        return datetime.now(ZoneInfo(conf["time_zone"])).date()

    async def ws(self, message: dict[str, Any]) -> Any:
        """Send one websocket command and return its result."""
        async with self.ha.websocket() as ws:
            return await ws.command(message)

    async def state_of(self, entity_id: str) -> dict[str, Any]:
        """Return the state object; fail when the entity does not exist."""
        state = await self.ha.get_state(entity_id)
        expect(state is not None, f"{entity_id} does not exist")
        assert state is not None  # noqa: S101 - narrowed by expect
        return state

    async def value(self, entity_id: str) -> str:
        """Return the entity's state string."""
        return str((await self.state_of(entity_id))["state"])

    async def wait(
        self, entity_id: str, expected: str | Callable[[str], bool], max_wait: float
    ) -> dict[str, Any]:
        """Wait until the entity's state is ``expected`` (or the test holds)."""

        def matches(state: dict[str, Any] | None) -> bool:
            if state is None:
                return False
            if callable(expected):
                return expected(state["state"])
            return bool(state["state"] == expected)

        state = await self.ha.wait_for_state(entity_id, matches, max_wait=max_wait)
        assert state is not None  # noqa: S101 - the predicate needs a state
        return state

    async def issues(self) -> list[dict[str, Any]]:
        """Return this integration's repair issues."""
        result = await self.ws({"type": "repairs/list_issues"})
        return [i for i in result["issues"] if i["domain"] == DOMAIN]

    async def options(self, step: str, user_input: dict[str, Any]) -> dict[str, Any]:
        """Run the options flow's ``step`` (from its menu) with ``user_input``."""
        flow = await self.ha.options_flow_start(self.entry_id)
        expect(flow["type"] == "menu", f"options flow opened with {flow['type']}")
        expect(step in flow["menu_options"], f"no {step!r} in {flow['menu_options']}")
        flow = await self.ha.options_flow_step(flow["flow_id"], {"next_step_id": step})
        expect(flow.get("step_id") == step, f"menu led to {flow.get('step_id')}")
        return await self.ha.options_flow_step(flow["flow_id"], user_input)

    async def wait_loaded(self) -> None:
        """Wait until the entry is loaded and its entities have states."""
        deadline = time.monotonic() + 60
        while True:
            entries = await self.ha.config_entries(DOMAIN)
            states = [e["state"] for e in entries if e["entry_id"] == self.entry_id]
            status = await self.ha.get_state(RESET_STATUS)
            if states == ["loaded"] and status and status["state"] != "unavailable":
                return
            expect(time.monotonic() < deadline, f"entry not loaded again: {states}")
            await asyncio.sleep(0.5)

    async def start_reset(self, off_minutes: int) -> datetime:
        """Start a safe reset; wait for power off; return the restore deadline."""
        relay = self.state["relay"]
        await self.ha.call_service(
            DOMAIN,
            "start_safe_reset",
            {"config_entry_id": self.entry_id, "off_minutes": off_minutes},
        )
        await self.wait(relay, "off", 30)
        await self.wait(RESET_STATUS, "power_off", 30)
        status = await self.state_of(RESET_STATUS)
        deadline = parse_time(status["attributes"].get("deadline"))
        shown = parse_time(await self.value(RESTORE_AT))
        expect(
            abs((shown - deadline).total_seconds()) < 1,
            f"power restore time {shown} != deadline {deadline}",
        )
        left = (deadline - now_utc()).total_seconds()
        expect(
            off_minutes * 60 - 15 < left <= off_minutes * 60,
            f"power restore time {deadline.isoformat()} is {left:.0f} s away",
        )
        return deadline


# --------------------------------------------------------------------------
# Phase "api"


async def config_flow(ctx: Context) -> str:
    """Step user (Daikin) -> family -> maintenance -> entry."""
    ha = ctx.ha
    today = await ctx.today()
    flow = await ha.config_flow_start(DOMAIN)
    expect(flow.get("step_id") == "user", f"flow opened at {flow.get('step_id')}")
    # A missing entity is a form error, not an exception.
    bad = await ha.config_flow_step(
        flow["flow_id"],
        {"name": NAME, "brand": "daikin", "power_switch": "switch.does_not_exist"},
    )
    expect(
        bad.get("errors", {}).get("power_switch") == "entity_not_found",
        f"unknown entity gave {bad.get('type')} {bad.get('errors')}",
    )
    flow = await ha.config_flow_step(
        flow["flow_id"],
        {
            "name": NAME,
            "brand": "daikin",
            "model": "FTXM35R",
            "climate_entity": CLIMATE,
            "power_switch": BREAKER,
            "error_code_entity": ERROR_TEXT,
        },
    )
    expect(flow.get("step_id") == "family", f"after user: {flow.get('step_id')}")
    flow = await ha.config_flow_step(flow["flow_id"], {"family": "residential"})
    expect(flow.get("step_id") == "maintenance", f"after family: {flow}")
    flow = await ha.config_flow_step(
        flow["flow_id"],
        {
            "filter_last_changed": (today - timedelta(days=30)).isoformat(),
            "filter_interval_days": 90,
            "service_last_done": (today - timedelta(days=100)).isoformat(),
            "service_interval_days": 365,
        },
    )
    expect(flow.get("type") == "create_entry", f"maintenance gave {flow}")
    entry_id = flow["result"]["entry_id"]
    ctx.state.update(entry_id=entry_id, relay=BREAKER)
    ctx.save()
    await ctx.wait_loaded()
    return f"entry {entry_id}"


async def options_flow(ctx: Context) -> str:
    """Safe reset options: out of the selector's range is refused on the field."""
    try:
        await ctx.options(
            "safe_reset",
            {
                "reset_off_minutes": 30,
                "max_resets_per_day": 2,
                "fault_watch_minutes": 999,
            },
        )
    except HassApiError as err:
        # Home Assistant's own selector check: the frontend shows it on the field.
        expect(err.status == 400, f"fault_watch_minutes 999: HTTP {err.status}")
        expect("fault_watch_minutes" in err.body, f"999 refused with {err.body}")
    else:
        raise CheckError("fault_watch_minutes 999 was accepted")
    bad = await ctx.options(
        "safe_reset",
        {"reset_off_minutes": 30.5, "max_resets_per_day": 2, "fault_watch_minutes": 1},
    )
    expect(
        bad.get("errors", {}).get("reset_off_minutes") == "out_of_range",
        f"reset_off_minutes 30.5 gave {bad.get('type')} {bad.get('errors')}",
    )
    done = await ctx.options(
        "safe_reset",
        {"reset_off_minutes": 30, "max_resets_per_day": 2, "fault_watch_minutes": 1},
    )
    expect(done.get("type") == "create_entry", f"safe_reset gave {done}")
    await ctx.wait_loaded()
    return "fault_watch_minutes 1 saved, 999 refused by the selector, 30.5 a form error"


async def entity_states(ctx: Context) -> str:
    """Check that the entities exist and show the configured dates."""
    today = await ctx.today()
    values = {
        e: await ctx.value(e)
        for e in (RESET_STATUS, RESTORE_AT, ERROR_CODE, FAULT, FILTER_AGE)
    }
    values[FILTER_DUE] = await ctx.value(FILTER_DUE)
    values[SERVICE_DUE] = await ctx.value(SERVICE_DUE)
    expect(values[RESET_STATUS] == "idle", f"reset status {values[RESET_STATUS]}")
    expect(values[RESTORE_AT] == "unknown", f"restore time {values[RESTORE_AT]}")
    expect(values[ERROR_CODE] == "none", f"error code {values[ERROR_CODE]}")
    expect(values[FAULT] == "off", f"fault {values[FAULT]}")
    expect(values[FILTER_AGE] == "30", f"days since filter change {values[FILTER_AGE]}")
    expect(
        values[FILTER_DUE] == (today + timedelta(days=60)).isoformat(),
        f"filter due {values[FILTER_DUE]}",
    )
    expect(
        values[SERVICE_DUE] == (today + timedelta(days=265)).isoformat(),
        f"service due {values[SERVICE_DUE]}",
    )
    return ", ".join(f"{k.split('.', 1)[1]}={v}" for k, v in values.items())


async def lookup_error_code(ctx: Context) -> str:
    """``lookup_error_code`` answers with the catalogue entry; bad brand is 400."""
    ha = ctx.ha
    found = await ha.call_service(
        DOMAIN,
        "lookup_error_code",
        {"code": "U4", "config_entry_id": ctx.entry_id},
        return_response=True,
    )
    expect(found.get("found") is True, f"U4 not found: {found}")
    expect(found.get("brand") == "daikin", f"brand {found.get('brand')}")
    expect(found.get("category") == "communication", f"category {found}")
    expect(found.get("reset_may_help") is True, f"reset_may_help {found}")
    unknown = await ha.call_service(
        DOMAIN,
        "lookup_error_code",
        {"code": "ZZ99", "brand": "daikin"},
        return_response=True,
    )
    expect(unknown.get("found") is False, f"ZZ99 gave {unknown}")
    try:
        await ha.call_service(
            DOMAIN,
            "lookup_error_code",
            {"code": "U4", "brand": "no_such_brand"},
            return_response=True,
        )
    except HassApiError as err:
        expect(err.status == 400, f"unknown brand: HTTP {err.status}")
        expect("daikin" in err.body, f"unknown brand error names no brands: {err.body}")
    else:
        raise CheckError("an unknown brand was accepted")
    return f"U4 = {found['meaning']!r}"


async def search_error_codes(ctx: Context) -> str:
    """``search_error_codes`` finds U4 among Daikin's communication codes."""
    result = await ctx.ha.call_service(
        DOMAIN,
        "search_error_codes",
        {"query": "transmission", "brand": "daikin", "limit": 10},
        return_response=True,
    )
    rows = result.get("results")
    expect(isinstance(rows, list) and rows, f"no results: {result}")
    expect(len(rows) <= 10, f"limit 10 gave {len(rows)}")
    expect(all(r.get("brand") == "daikin" for r in rows), "a result of another brand")
    codes = [r.get("code") for r in rows]
    expect("U4" in codes, f"U4 not among {codes}")
    return f"{len(rows)} results: {', '.join(map(str, codes))}"


async def filter_changed(ctx: Context) -> str:
    """Pressing "Filter changed" makes the filter 0 days old."""
    expect(await ctx.value(FILTER_AGE) == "30", "filter age is not 30 before")
    await ctx.ha.call_service("button", "press", {"entity_id": FILTER_BUTTON})
    await ctx.wait(FILTER_AGE, "0", 10)
    today = await ctx.today()
    due = await ctx.value(FILTER_DUE)
    expect(due == (today + timedelta(days=90)).isoformat(), f"filter due {due}")
    return f"days since filter change 30 -> 0, due {due}"


async def set_error_text(ctx: Context, value: str) -> None:
    """Set the unit's error code helper."""
    await ctx.ha.call_service(
        "input_text", "set_value", {"entity_id": ERROR_TEXT, "value": value}
    )


async def error_code_u4(ctx: Context) -> str:
    """U4 appears as the error code, a fault and a fixable repair."""
    await set_error_text(ctx, "U4")
    state = await ctx.wait(ERROR_CODE, "U4", 10)
    attrs = state["attributes"]
    for key, want in (
        ("brand", "daikin"),
        ("category", "communication"),
        ("reset_may_help", True),
    ):
        expect(attrs.get(key) == want, f"attribute {key}={attrs.get(key)!r}")
    expect(attrs.get("meaning") and attrs.get("advice"), f"attributes {attrs}")
    await ctx.wait(FAULT, "on", 10)
    issue_id = f"fault_{ctx.entry_id}"
    issues = {i["issue_id"]: i for i in await ctx.issues()}
    expect(issue_id in issues, f"no repair {issue_id} in {list(issues)}")
    issue = issues[issue_id]
    expect(issue["is_fixable"] is True, f"repair not fixable: {issue}")
    return f"fault on, repair {issue['translation_key']} ({issue['severity']})"


async def error_code_cleared(ctx: Context) -> str:
    """Clear the helper: the code, the fault and the repair go."""
    await set_error_text(ctx, "")
    await ctx.wait(ERROR_CODE, "none", 10)
    await ctx.wait(FAULT, "off", 10)
    issue_ids = [i["issue_id"] for i in await ctx.issues()]
    expect(f"fault_{ctx.entry_id}" not in issue_ids, f"repair still there: {issue_ids}")
    return "error code none, fault off, repair gone"


async def collect_reset_events(ctx: Context, seen: list[str]) -> None:
    """Append the status of every ``heat_pump_care_reset`` event to ``seen``."""
    async with ctx.ha.websocket() as ws:
        async for event in ws.subscribe_events("heat_pump_care_reset"):
            seen.append(str(event["data"]["status"]))  # noqa: PERF401 - live


async def safe_reset_realtime(ctx: Context) -> str:
    """Run a 1-minute reset: relay and thermostat off, both back, watch, done."""
    before = await ctx.state_of(CLIMATE)
    mode, target = before["state"], before["attributes"].get("temperature")
    expect(mode not in ("off", "unavailable"), f"thermostat is {mode} before")
    seen: list[str] = []
    listener = asyncio.create_task(collect_reset_events(ctx, seen))
    try:
        await asyncio.sleep(0.5)
        deadline = await ctx.start_reset(1)
        await ctx.wait(CLIMATE, "off", 10)
        ctx.note(f"power cut; restore due at {deadline.isoformat()}")
        wait_for = (deadline - now_utc()).total_seconds() + 45
        on = await ctx.wait(BREAKER, "on", wait_for)
        back = parse_time(on["last_changed"])
        late = (back - deadline).total_seconds()
        expect(-1 <= late <= 15, f"power back {late:+.1f} s from the deadline")
        restored = await ctx.wait(CLIMATE, mode, 30)
        expect(
            restored["attributes"].get("temperature") == target,
            f"temperature {restored['attributes'].get('temperature')} != {target}",
        )
        await ctx.wait(RESET_STATUS, "monitoring", 30)
        ctx.note("power and thermostat back; watching for the fault (1 min)")
        await ctx.wait(RESET_STATUS, "completed", 60 + 30)
        await asyncio.sleep(0.5)
    finally:
        listener.cancel()
    for status in ("stopping", "power_off", "restoring", "monitoring", "completed"):
        expect(status in seen, f"no {status} event; events: {seen}")
    expect(seen[-1] == "completed", f"events: {seen}")
    expect(await ctx.value(RESTORE_AT) == "unknown", "restore time still set")
    return f"power back {late:+.1f} s after the deadline, {mode} restored; {' > '.join(seen)}"


async def script_safe_reset(ctx: Context) -> str:
    """script.heat_pump_safe_reset, made as scripts/develop makes it, starts a reset.

    The script uses the blueprint's defaults (off_minutes 0: the heat pump's
    own power-off time, 30 minutes here), so the reset is cancelled once it
    has cut the power; power and thermostat come back at once.
    """
    expect(ctx.config_dir is not None, "no --config-dir")
    assert ctx.config_dir is not None  # noqa: S101 - narrowed by expect
    state = await ensure_safe_reset_script(ctx.ha, ctx.config_dir, ctx.entry_id)
    name = state["attributes"].get("friendly_name")
    expect(name == SCRIPT_ALIAS, f"{SCRIPT} is called {name!r}")
    conf = await ctx.ha.request("GET", f"/api/config/script/config/{SCRIPT_ID}")
    blueprint = conf.get("use_blueprint") or {}
    expect(blueprint.get("path") == BLUEPRINT_PATH, f"{SCRIPT} config: {conf}")
    inputs = blueprint.get("input") or {}
    expect(inputs.get("heat_pump") == ctx.entry_id, f"blueprint inputs {inputs}")
    relay = ctx.state["relay"]
    mode = await ctx.value(CLIMATE)
    expect(await ctx.value(RESET_STATUS) == "completed", "the last reset is not over")
    await ctx.ha.call_service("script", SCRIPT_ID)
    await ctx.wait(relay, "off", 30)
    status = await ctx.wait(RESET_STATUS, "power_off", 30)
    deadline = parse_time(status["attributes"].get("deadline"))
    left = (deadline - now_utc()).total_seconds()
    expect(29 * 60 < left <= 30 * 60, f"power back in {left:.0f} s, not 30 min")
    script = await ctx.state_of(SCRIPT)
    expect(script["attributes"].get("last_triggered"), f"{SCRIPT} never ran")
    await ctx.ha.call_service(
        DOMAIN, "cancel_safe_reset", {"config_entry_id": ctx.entry_id}
    )
    await ctx.wait(relay, "on", 30)
    await ctx.wait(RESET_STATUS, "cancelled", 30)
    await ctx.wait(CLIMATE, mode, 30)
    return (
        f"{SCRIPT} (blueprint {BLUEPRINT_PATH}, heat_pump {ctx.entry_id}) cut the "
        f"power for {left / 60:.0f} min; cancelled, power and {mode} back"
    )


async def phase_api(ctx: Context) -> int:
    """Step 2 of the issue: everything through REST and websocket."""
    if not await ctx.check("config-flow", config_flow(ctx)):
        return FATAL
    await ctx.check("options-flow", options_flow(ctx))
    await ctx.check("entity-states", entity_states(ctx))
    await ctx.check("lookup-error-code", lookup_error_code(ctx))
    await ctx.check("search-error-codes", search_error_codes(ctx))
    await ctx.check("filter-changed", filter_changed(ctx))
    await ctx.check("own-task-history-snooze", own_task_history_snooze(ctx))
    if await ctx.check("error-code-fault-repair", error_code_u4(ctx)):
        await ctx.check("error-code-cleared", error_code_cleared(ctx))
    else:
        await set_error_text(ctx, "")
    if not await ctx.check("safe-reset-realtime", safe_reset_realtime(ctx)):
        return FATAL
    await ctx.check("script-safe-reset", script_safe_reset(ctx))
    return OK


# --------------------------------------------------------------------------
# Phases around the restarts


async def use_persistent_relay(ctx: Context) -> str:
    """Create a relay helper that survives restarts and switch to it."""
    items = await ctx.ws({"type": "input_boolean/list"})
    if not any(i.get("name") == RELAY_NAME for i in items):
        await ctx.ws(
            {
                "type": "input_boolean/create",
                "name": RELAY_NAME,
                "icon": "mdi:electric-switch",
            }
        )
    await ctx.wait(RELAY, lambda s: s in ("on", "off"), 10)
    await ctx.ha.call_service("input_boolean", "turn_on", {"entity_id": RELAY})
    await ctx.wait(RELAY, "on", 10)
    flow = await ctx.options(
        "device",
        {
            "name": NAME,
            "brand": "daikin",
            "model": "FTXM35R",
            "climate_entity": CLIMATE,
            "power_switch": RELAY,
            "error_code_entity": ERROR_TEXT,
        },
    )
    expect(flow.get("step_id") == "family", f"device step led to {flow}")
    flow = await ctx.ha.options_flow_step(flow["flow_id"], {"family": "residential"})
    expect(flow.get("type") == "create_entry", f"family step gave {flow}")
    ctx.state["relay"] = RELAY
    ctx.save()
    await ctx.wait_loaded()
    return f"power switch is now {RELAY}"


#: The heat pump's own power-off time from the sigterm phase on: what the
#: fault repair's confirm step (screenshot repair_fix.png) says.  The timed
#: resets give their own ``off_minutes``.
RESET_OFF_MINUTES = 30


async def raise_limits(ctx: Context) -> str:
    """More resets per day, no fault watch (so resets end at once)."""
    done = await ctx.options(
        "safe_reset",
        {
            "reset_off_minutes": RESET_OFF_MINUTES,
            "max_resets_per_day": 10,
            "fault_watch_minutes": 0,
        },
    )
    expect(done.get("type") == "create_entry", f"safe_reset gave {done}")
    await ctx.wait_loaded()
    return (
        f"max_resets_per_day 10, fault_watch_minutes 0, "
        f"reset_off_minutes {RESET_OFF_MINUTES}"
    )


async def start_for_kill(ctx: Context, key: str, off_minutes: int) -> str:
    """Start a reset and leave its deadline for the shell and the verify phase."""
    expect(
        await ctx.value(RESET_STATUS) in ("idle", "completed", "cancelled"),
        "a reset is still running",
    )
    mode = await ctx.value(CLIMATE)
    deadline = await ctx.start_reset(off_minutes)
    await ctx.wait(CLIMATE, "off", 10)
    off_at = parse_time((await ctx.state_of(ctx.state["relay"]))["last_changed"])
    ctx.state[key] = {
        "deadline": deadline.isoformat(),
        "off_at": off_at.isoformat(),
        "mode": mode,
    }
    ctx.save()
    ctx.write_value(f"{key}-deadline", deadline.timestamp())
    ctx.write_value(f"{key}-off-at", off_at.timestamp())
    return f"power cut at {off_at:%H:%M:%S}, restore due {deadline:%H:%M:%S} UTC"


async def phase_sigterm_prepare(ctx: Context) -> int:
    """Switch to a persistent relay, raise limits, start a 1-minute reset."""
    if not await ctx.check("persistent-relay", use_persistent_relay(ctx)):
        return FATAL
    if not await ctx.check("options-raise-limits", raise_limits(ctx)):
        return FATAL
    if not await ctx.check("sigterm-reset-started", start_for_kill(ctx, "sigterm", 1)):
        return FATAL
    return OK


async def relay_switched_on_by_integration(
    ctx: Context, since: datetime, max_wait: float = 20
) -> dict[str, Any]:
    """Return the logbook entry of the relay's switch-on since ``since``.

    The logbook lists a change only when the entity had a state before, so an
    entry "on" after the restart means the relay came back "off" first; a
    ``turn_on`` service call without a user is the integration's.
    """
    relay = ctx.state["relay"]
    deadline = time.monotonic() + max_wait
    while True:
        rows = await ctx.ha.request(
            "GET", f"/api/logbook/{since.isoformat()}", params={"entity": relay}
        )
        ons = [r for r in rows or [] if r.get("state") == "on"]
        if ons:
            entry: dict[str, Any] = ons[0]
            expect(
                entry.get("context_service") == "turn_on"
                and entry.get("context_event_type") == "call_service"
                and not entry.get("context_user_id"),
                f"the relay was not switched on by the integration: {entry}",
            )
            return entry
        expect(time.monotonic() < deadline, f"no switch-on in the logbook: {rows}")
        await asyncio.sleep(1)


async def sigterm_verify(ctx: Context, started: datetime) -> str:
    """Check that after a restart past the deadline the relay goes on at once."""
    info = ctx.state["sigterm"]
    deadline = parse_time(info["deadline"])
    relay = ctx.state["relay"]
    on = await ctx.wait(relay, "on", 30)
    back = parse_time(on["last_changed"])
    expect(back > deadline, f"power back at {back}, before the deadline {deadline}")
    await relay_switched_on_by_integration(ctx, started)
    status = await ctx.state_of(RESET_STATUS)
    reason = status["attributes"].get("reason")
    expect(reason != "power_restored_externally", "power came back by itself")
    since_launch = (back - started).total_seconds()
    expect(since_launch <= 30, f"power back {since_launch:.1f} s after the launch")
    await ctx.wait(RESET_STATUS, "completed", 30)
    await ctx.wait(CLIMATE, info["mode"], 30)
    return (
        f"relay came back off and the integration switched it on "
        f"{since_launch:.1f} s after the launch ({(back - deadline).total_seconds():.0f} s "
        f"past the deadline, reason {reason}); thermostat back"
    )


async def phase_sigterm_verify(ctx: Context, started: datetime) -> int:
    """Check that power is back right after the restart."""
    await ctx.check("sigterm-power-restored-at-start", sigterm_verify(ctx, started))
    await ctx.check("history-after-restart", history_after_restart(ctx))
    return OK


async def save_relay_state(ctx: Context) -> str:
    """Make the relay keep "off" through a crash, as a physical relay would.

    Home Assistant stores restorable states at a clean stop and every 15
    minutes; a SIGKILL skips the former.
    """
    await ctx.ha.call_service("homeassistant", "save_persistent_states")
    return "restore-state saved"


async def phase_sigkill_prepare(ctx: Context) -> int:
    """Start a 2-minute reset; the shell kills Home Assistant 20 s in."""
    if not await ctx.check("sigkill-reset-started", start_for_kill(ctx, "sigkill", 2)):
        return FATAL
    await ctx.check("sigkill-relay-state-saved", save_relay_state(ctx))
    off_at = parse_time(ctx.state["sigkill"]["off_at"])
    ctx.write_value("sigkill-kill-at", off_at.timestamp() + 20)
    return OK


def _row(entity_id: str, name: str) -> dict[str, str]:
    return {"entity": entity_id, "name": name}


def _tile(entity_id: str, name: str) -> dict[str, str]:
    return {"type": "tile", "entity": entity_id, "name": name}


def _attribute(attribute: str, name: str) -> dict[str, str]:
    return {
        "type": "attribute",
        "entity": ERROR_CODE,
        "attribute": attribute,
        "name": name,
    }


DASHBOARD = {
    "title": "Heat pumps",
    "views": [
        {
            "title": "Heat pumps",
            "path": DASHBOARD_VIEW,
            "icon": "mdi:heat-pump",
            "cards": [
                {
                    "type": "entities",
                    "title": "Safe reset",
                    "entities": [
                        _row(RESET_STATUS, "Reset status"),
                        _row(RESTORE_AT, "Power restore time"),
                        _row(RELAY, "Breaker"),
                        _row(CLIMATE, "Thermostat"),
                        _row(f"button.{SLUG}_safe_reset", "Safe reset"),
                        _row(f"button.{SLUG}_cancel_reset", "Cancel reset"),
                    ],
                },
                {
                    "type": "entities",
                    "title": "Error code",
                    "entities": [
                        _row(ERROR_CODE, "Error code"),
                        _attribute("meaning", "Meaning"),
                        _attribute("category", "Category"),
                        _attribute("reset_may_help", "A reset may help"),
                        _row(FAULT, "Fault"),
                    ],
                },
                {
                    "type": "grid",
                    "columns": 2,
                    "square": False,
                    "title": "Maintenance",
                    "cards": [
                        _tile(FILTER_AGE, "Days since filter change"),
                        _tile(FILTER_DUE, "Filter change due"),
                        _tile(f"binary_sensor.{SLUG}_filter_change_needed", "Filter"),
                        _tile(SERVICE_DUE, "Next service due"),
                        _tile(FILTER_BUTTON, "Filter changed"),
                        _tile(f"button.{SLUG}_service_done", "Service done"),
                    ],
                },
            ],
        }
    ],
}


async def create_dashboard(ctx: Context) -> str:
    """Create a dashboard with the maintenance, reset and error entities."""
    dashboards = await ctx.ws({"type": "lovelace/dashboards/list"})
    if not any(d.get("url_path") == DASHBOARD_URL for d in dashboards):
        await ctx.ws(
            {
                "type": "lovelace/dashboards/create",
                "url_path": DASHBOARD_URL,
                "title": "Heat pumps",
                "icon": "mdi:heat-pump",
                "show_in_sidebar": True,
                "require_admin": False,
            }
        )
    await ctx.ws(
        {"type": "lovelace/config/save", "url_path": DASHBOARD_URL, "config": DASHBOARD}
    )
    saved = await ctx.ws({"type": "lovelace/config", "url_path": DASHBOARD_URL})
    expect(saved.get("views", [{}])[0].get("path") == DASHBOARD_VIEW, f"saved {saved}")
    return f"/{DASHBOARD_URL}/{DASHBOARD_VIEW}"


async def browser_targets(ctx: Context) -> str:
    """Write what the browser opens and needs to know (``browser.json``).

    The browser runs while the SIGKILL deadline is awaited; its repair and
    logbook steps wait for ``sigkill-verified`` (the reset is over by then)
    and prepare the rest themselves through the logged-in frontend: the
    unknown code on the helper and the daily limit in the options.
    """
    devices = await ctx.ws({"type": "config/device_registry/list"})
    ours = [d for d in devices if ctx.entry_id in d.get("config_entries", [])]
    expect(len(ours) == 1, f"{len(ours)} devices for the entry")
    conf = await ctx.ha.config()
    zone = ZoneInfo(conf["time_zone"])
    meaning = await ctx.state_of(ERROR_MEANING)
    expect(
        meaning["state"] not in ("none", "unknown", "unavailable"),
        f"{ERROR_MEANING} is {meaning['state']!r} with U4 reported",
    )
    sigkill = ctx.state["sigkill"]
    restore_at = parse_time(sigkill["deadline"]).astimezone(zone)
    off_at = parse_time(sigkill["off_at"])
    targets = {
        "device_id": ours[0]["id"],
        "device_name": NAME,
        "entry_id": ctx.entry_id,
        "dashboard": f"/{DASHBOARD_URL}/{DASHBOARD_VIEW}",
        "repair_text": f"{NAME} reports error U4",
        "attic_name": ATTIC_NAME,
        "time_zone": conf["time_zone"],
        "error_meaning": meaning["state"],
        "error_meaning_entity": ERROR_MEANING,
        "error_text_entity": ERROR_TEXT,
        "reset_status_entity": RESET_STATUS,
        "climate_entity": CLIMATE,
        "climate_mode": sigkill["mode"],
        "off_minutes": RESET_OFF_MINUTES,
        "unknown_code": "XYZ",
        "todo_entity": TODO,
        "own_task": TASK_NAME,
        "own_task_key": TASK_KEY,
        "own_note": NOTE,
        # What the logbook says of the SIGKILL reset: "power is off until" its
        # deadline, in Home Assistant's time zone, to the minute.
        "restore_local": f"{restore_at:%H:%M}",
        # The logbook's window: the SIGKILL reset cutting the power (the
        # integration's own rows, "started a safe reset", "power is off
        # until", carry a device but no entity, so the logbook filtered by
        # the device leaves them out: the browser shows this window whole).
        "logbook_start": (off_at - timedelta(seconds=1)).isoformat(),
        "logbook_end": (off_at + timedelta(seconds=3)).isoformat(),
        "sigkill_marker": str(ctx.work / "sigkill-verified"),
    }
    (ctx.work / "browser.json").write_text(
        json.dumps(targets, indent=2), encoding="utf-8"
    )
    return (
        f"device {ours[0]['id']}, error meaning {meaning['state']!r}, "
        f"restore {restore_at:%H:%M} {conf['time_zone']}"
    )


async def fault_for_repair(ctx: Context) -> str:
    """Report U4 while power is cut, so a repair exists for the screenshot."""
    await set_error_text(ctx, "U4")
    await ctx.wait(FAULT, "on", 10)
    issue_ids = [i["issue_id"] for i in await ctx.issues()]
    expect(f"fault_{ctx.entry_id}" in issue_ids, f"no fault repair: {issue_ids}")
    return "U4 active, repair listed"


async def phase_browser_prepare(ctx: Context) -> int:
    """Prepare an error code, a dashboard and the device id for the browser."""
    await ctx.check("browser-prepare-fault", fault_for_repair(ctx))
    await ctx.check("browser-prepare-dashboard", create_dashboard(ctx))
    if not await ctx.check("browser-prepare-targets", browser_targets(ctx)):
        return FAILED
    return OK


async def sigkill_verify(ctx: Context, started: datetime) -> str:
    """Check that power stays off through the crash, back at the deadline."""
    info = ctx.state["sigkill"]
    deadline = parse_time(info["deadline"])
    relay = ctx.state["relay"]
    expect(
        now_utc() < deadline - timedelta(seconds=5), "restart came too late to judge"
    )
    first = await ctx.state_of(relay)
    expect(first["state"] == "off", f"relay {first['state']} after the restart")
    status = await ctx.state_of(RESET_STATUS)
    restore_at = parse_time(status["attributes"].get("deadline"))
    expect(
        abs((restore_at - deadline).total_seconds()) < 0.01,
        f"restore time moved: {restore_at} (was {deadline})",
    )
    expect(await ctx.value(RESET_STATUS) == "power_off", "reset not in power_off")
    ctx.note(f"after the restart: relay off, restore still due {deadline:%H:%M:%S} UTC")
    # Watch the relay every half second until it comes on.
    seen_on: datetime | None = None
    give_up = deadline + timedelta(seconds=45)
    while now_utc() < give_up:
        state = await ctx.state_of(relay)
        if state["state"] == "on":
            seen_on = now_utc()
            break
        await asyncio.sleep(0.5)
    expect(seen_on is not None, "power did not come back within 45 s of the deadline")
    assert seen_on is not None  # noqa: S101 - narrowed by expect
    back = parse_time((await ctx.state_of(relay))["last_changed"])
    early = (deadline - seen_on).total_seconds()
    expect(early < 1, f"power seen back {early:.1f} s before the deadline")
    late = (back - deadline).total_seconds()
    expect(-0.5 <= late <= 10, f"relay last_changed {late:+.1f} s from the deadline")
    status = await ctx.wait(RESET_STATUS, lambda s: s != "restoring", 60)
    expect(
        status["state"] in ("completed", "waiting_thermostat"),
        f"reset status {status['state']}",
    )
    await ctx.wait(RESET_STATUS, "completed", 60)
    await ctx.wait(CLIMATE, info["mode"], 30)
    crash = (started - parse_time(info["off_at"])).total_seconds()
    return (
        f"restarted {crash:.0f} s into the cut; off until the deadline, "
        f"on {late:+.1f} s from it (last_changed {back:%H:%M:%S.%f} UTC)"
    )


async def phase_sigkill_verify(ctx: Context, started: datetime) -> int:
    """Check that power returns at the original deadline; then tell the browser."""
    passed = await ctx.check(
        "sigkill-power-restored-at-deadline", sigkill_verify(ctx, started)
    )
    (ctx.work / "sigkill-verified").write_text(
        "passed\n" if passed else "failed\n", encoding="utf-8"
    )
    return OK


# --------------------------------------------------------------------------
# Phase "final"


async def attic_entry(ctx: Context) -> str:
    """Check that the heat pump added in the browser is loaded with entities."""
    entries = await ctx.ha.config_entries(DOMAIN)
    attic = [e for e in entries if e["title"] == ATTIC_NAME]
    expect(attic, f"no {ATTIC_NAME!r} entry: {[e['title'] for e in entries]}")
    expect(attic[0]["state"] == "loaded", f"{ATTIC_NAME}: {attic[0]['state']}")
    age = await ctx.value("sensor.attic_heat_pump_days_since_filter_change")
    expect(age == "0", f"attic filter age {age}")
    due = await ctx.value("sensor.attic_heat_pump_next_service_due")
    return f"{len(entries)} heat pumps; attic: filter age {age}, service due {due}"


async def fault_cleared(ctx: Context) -> str:
    """Clear the error code left for the screenshots."""
    return await error_code_cleared(ctx)


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ (\w+) ")


def integration_errors(log: Path) -> list[str]:
    """Lines at ERROR (or worse) from the integration, with their tracebacks."""
    found: list[str] = []
    current: list[str] | None = None
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = LOG_LINE.match(line)
        if match:
            if current:
                found.append("\n".join(current[:12]))
            level = match.group(1)
            current = (
                [line] if level in ("ERROR", "CRITICAL") and DOMAIN in line else None
            )
        elif current is not None:
            current.append(line)
    if current:
        found.append("\n".join(current[:12]))
    return found


async def log_clean(ctx: Context) -> str:
    """home-assistant.log has no errors from the integration."""
    expect(ctx.config_dir is not None, "no --config-dir")
    assert ctx.config_dir is not None  # noqa: S101 - narrowed by expect
    log = ctx.config_dir / "home-assistant.log"
    errors = await asyncio.to_thread(integration_errors, log)
    expect(not errors, f"{len(errors)} error(s):\n" + "\n".join(errors[:5]))
    return f"{log.name}: no errors from {DOMAIN}"


async def phase_final(ctx: Context) -> int:
    """Check the browser's entry, clear the fault, check the log."""
    await ctx.check("browser-entry-created", attic_entry(ctx))
    await ctx.check("fault-cleared", fault_cleared(ctx))
    await ctx.check("log-no-integration-errors", log_clean(ctx))
    return OK


# --------------------------------------------------------------------------


PHASES = {
    "api": phase_api,
    "sigterm-prepare": phase_sigterm_prepare,
    "sigkill-prepare": phase_sigkill_prepare,
    "browser-prepare": phase_browser_prepare,
    "final": phase_final,
}
TIMED_PHASES = {
    "sigterm-verify": phase_sigterm_verify,
    "sigkill-verify": phase_sigkill_verify,
}


async def run(args: argparse.Namespace) -> int:
    """Run one phase."""
    token = args.token
    work = Path(args.work)
    config_dir = Path(args.config_dir) if args.config_dir else None
    async with HassClient(args.url.rstrip("/"), token) as ha:
        ctx = Context(ha, work, config_dir)
        if args.phase in TIMED_PHASES:
            started = datetime.fromtimestamp(args.started, UTC)
            code = await TIMED_PHASES[args.phase](ctx, started)
        else:
            code = await PHASES[args.phase](ctx)
    if code == OK and ctx.failures:
        return FAILED
    return code


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--work", required=True, help="results and state directory")
    parser.add_argument("--config-dir", help="Home Assistant's config directory")
    parser.add_argument(
        "--started", type=float, default=0.0, help="epoch when hass was launched"
    )
    parser.add_argument("phase", choices=sorted({*PHASES, *TIMED_PHASES}))
    args = parser.parse_args(argv)
    args.token = Path(args.token_file).read_text(encoding="utf-8").strip()
    Path(args.work).mkdir(parents=True, exist_ok=True)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
