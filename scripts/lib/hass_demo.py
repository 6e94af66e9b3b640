"""The demo heat pump and its safe-reset script, for ``scripts/develop``.

Runs with the dev venv's Python against a running, onboarded Home Assistant::

    python hass_demo.py --url URL --token-file FILE --config-dir CONFIG_DIR

1. The demo heat pump: the Heat Pump Care entry whose power switch is the dev
   configuration's ``input_boolean.heat_pump_breaker``; when there is none, a
   "Demo heat pump" (Daikin, residential split) on ``climate.heatpump``, the
   breaker and ``input_text.heat_pump_error_code`` is added through the config
   flow.
2. ``script.heat_pump_safe_reset``: an entry of ``scripts.yaml`` that uses the
   script blueprint ``heat_pump_care/safe_reset.yaml`` on that heat pump (the
   same YAML the blueprint's "Create script" writes), then ``script.reload``.

Both steps keep what exists: a run on a prepared instance changes nothing.
``e2e/scenario.py`` uses ``ensure_safe_reset_script`` for its own heat pump.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from pathlib import Path
import sys
import time
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import yaml

if __package__:
    from .e2e_api import HassApiError, HassClient
else:  # run as a script: scripts/lib is on sys.path
    from e2e_api import HassApiError, HassClient

DOMAIN = "heat_pump_care"
DEMO_NAME = "Demo heat pump"
CLIMATE = "climate.heatpump"
BREAKER = "input_boolean.heat_pump_breaker"
ERROR_TEXT = "input_text.heat_pump_error_code"
SCRIPT_ID = "heat_pump_safe_reset"
SCRIPT = f"script.{SCRIPT_ID}"
SCRIPT_ALIAS = "Heat pump safe reset"
BLUEPRINT_PATH = "heat_pump_care/safe_reset.yaml"


class DemoError(Exception):
    """The demo cannot be set up; the message says why."""


def safe_reset_script(entry_id: str) -> dict[str, Any]:
    """The ``scripts.yaml`` entry of the safe-reset script for one heat pump."""
    return {
        "alias": SCRIPT_ALIAS,
        "use_blueprint": {
            "path": BLUEPRINT_PATH,
            # off_minutes (0: the heat pump's own power-off time) and force
            # (false) keep the blueprint's defaults.
            "input": {"heat_pump": entry_id},
        },
    }


def write_safe_reset_script(config_dir: Path, entry_id: str) -> bool:
    """Put the script into ``scripts.yaml``, keeping other scripts; True if changed."""
    path = config_dir / "scripts.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        scripts = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise DemoError(f"{path} is not plain YAML, left alone: {err}") from err
    if not isinstance(scripts, dict):
        raise DemoError(f"{path} is not a mapping of scripts, left alone")
    wanted = safe_reset_script(entry_id)
    if scripts.get(SCRIPT_ID) == wanted:
        return False
    scripts[SCRIPT_ID] = wanted
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(
        yaml.safe_dump(scripts, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    tmp.replace(path)
    return True


async def ensure_safe_reset_script(
    ha: HassClient, config_dir: Path, entry_id: str, *, max_wait: float = 30
) -> dict[str, Any]:
    """Write the script for ``entry_id``, reload scripts, return its state."""
    if (
        write_safe_reset_script(config_dir, entry_id)
        or await ha.get_state(SCRIPT) is None
    ):
        await ha.call_service("script", "reload")
    deadline = time.monotonic() + max_wait
    while True:
        state = await ha.get_state(SCRIPT)
        if state is not None and state["state"] != "unavailable":
            return state
        if time.monotonic() > deadline:
            raise DemoError(f"{SCRIPT} did not appear after script.reload")
        await asyncio.sleep(0.25)


async def _power_switch(ha: HassClient, entry_id: str) -> str | None:
    """The power switch of a loaded entry (from its diagnostics)."""
    try:
        diagnostics = await ha.request(
            "GET", f"/api/diagnostics/config_entry/{entry_id}"
        )
    except HassApiError:
        return None
    switch = diagnostics.get("data", {}).get("entry", {}).get("options", {})
    return switch.get("power_switch")


async def _create_demo_entry(ha: HassClient) -> str:
    """Add the demo heat pump through the config flow; return its entry id."""
    conf = await ha.config()
    today = datetime.now(ZoneInfo(conf["time_zone"])).date().isoformat()
    flow = await ha.config_flow_start(DOMAIN)
    steps: list[tuple[str, dict[str, Any]]] = [
        (
            "user",
            {
                "name": DEMO_NAME,
                "brand": "daikin",
                "model": "FTXM35R",
                "climate_entity": CLIMATE,
                "power_switch": BREAKER,
                "error_code_entity": ERROR_TEXT,
            },
        ),
        ("family", {"family": "residential"}),
        (
            "maintenance",
            {
                "filter_last_changed": today,
                "filter_interval_days": 90,
                "service_last_done": today,
                "service_interval_days": 365,
            },
        ),
    ]
    for step_id, user_input in steps:
        if flow.get("type") != "form" or flow.get("step_id") != step_id:
            break
        flow = await ha.config_flow_step(flow["flow_id"], user_input)
        if flow.get("errors"):
            await ha.config_flow_abort(flow["flow_id"])
            raise DemoError(f"adding {DEMO_NAME!r}: {step_id} step {flow['errors']}")
    if flow.get("type") != "create_entry":
        if flow.get("flow_id") and flow.get("type") == "form":
            await ha.config_flow_abort(flow["flow_id"])
        raise DemoError(f"adding {DEMO_NAME!r} ended with {flow}")
    return str(flow["result"]["entry_id"])


async def ensure_demo_entry(ha: HassClient) -> tuple[str, str, bool]:
    """Return the demo heat pump's entry id and title, and whether it is new."""
    entries = await ha.config_entries(DOMAIN)
    for entry in entries:
        if (
            entry["state"] == "loaded"
            and await _power_switch(ha, entry["entry_id"]) == BREAKER
        ):
            return entry["entry_id"], entry["title"], False
    if any(entry["title"] == DEMO_NAME for entry in entries):
        raise DemoError(f"{DEMO_NAME!r} exists but is not loaded on {BREAKER}")
    if await ha.get_state(BREAKER) is None:
        raise DemoError(f"{BREAKER} does not exist (is dev/configuration.yaml in use?)")
    return await _create_demo_entry(ha), DEMO_NAME, True


async def _run(args: argparse.Namespace) -> int:
    config_dir = Path(args.config_dir)
    async with HassClient.from_token_file(args.url, Path(args.token_file)) as ha:
        entry_id, title, created = await ensure_demo_entry(ha)
        print(
            f"hass_demo: {'added' if created else 'found'} the demo heat pump "
            f"{title!r} (entry {entry_id}, power switch {BREAKER})",
            file=sys.stderr,
        )
        await ensure_safe_reset_script(ha, config_dir, entry_id)
        print(
            f"hass_demo: {SCRIPT} runs the blueprint {BLUEPRINT_PATH} on {title!r}",
            file=sys.stderr,
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and set the demo up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--config-dir", required=True)
    args = parser.parse_args(argv)
    args.url = args.url.rstrip("/")
    try:
        return asyncio.run(_run(args))
    except (DemoError, HassApiError, TimeoutError, OSError, aiohttp.ClientError) as err:
        print(f"hass_demo: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
