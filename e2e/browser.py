"""Drive Home Assistant's frontend in a real Chromium and take screenshots.

Runs with the host venv that ``scripts/e2e`` builds (Playwright from PyPI,
Debian's ``chromium``; Python 3.11 is enough)::

    python e2e/browser.py --url URL --targets WORK/browser.json \
        --results WORK/results.txt --out docs/screenshots

Steps: log in, add a second heat pump through "Add integration", and save
``config_flow.png``, ``device.png`` (with the error meaning), ``dashboard.png``,
``repairs.png``, ``todo.png`` (the maintenance list with the own task, its key
and the note of its completion) and ``calendar.png`` (that completion in the
calendar, the unit's logbook).  Then, once the scenario has written its
``sigkill-verified`` marker (the reset under way is over), ``logbook.png``
(the heat pump's logbook, local times), ``repair_fix.png`` (the U4 repair
offering a safe reset), ``repair_refused.png`` (the same repair once the daily
limit is used: the browser lowers ``max_resets_per_day`` to the resets already
made, through the options flow of the logged-in frontend) and
``repair_unknown.png`` (the repair of a code the catalogue does not know, set
on the error-code helper).  The repair texts are read from the integration's
``translations/en.json`` at run time.  Each step prints ``PASS name
(detail)`` or ``FAIL name: reason``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
import json
from pathlib import Path
import re
import sys
import time
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Error as PlaywrightError, Page, sync_playwright

CHROMIUM = "/usr/lib/chromium/chromium"
# No sandbox (runs as root); nothing that talks to Google in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=MediaRouter,OptimizationHints,Translate,AutofillServerCommunication",
    "--metrics-recording-only",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 30_000
#: How long the repair steps wait for the scenario's ``sigkill-verified``.
MARKER_TIMEOUT_S = 300
TRANSLATIONS = (
    Path(__file__).resolve().parents[1]
    / "custom_components"
    / "heat_pump_care"
    / "translations"
    / "en.json"
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Steps:
    """Print and record one result line per step."""

    def __init__(self, results: Path, failed_dir: Path) -> None:
        """Remember where results and screenshots of failures go."""
        self.results = results
        self.failed_dir = failed_dir
        self.failures = 0

    def _line(self, line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        with self.results.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def run(self, name: str, page: Page, action: Callable[[], str]) -> bool:
        """Run ``action``; on failure keep a screenshot of what the page showed."""
        started = time.monotonic()
        try:
            detail = action()
        except (PlaywrightError, AssertionError, KeyError, ValueError) as err:
            reason = (str(err) or type(err).__name__).splitlines()[0]
            failed = self.failed_dir
            try:
                page.screenshot(path=str(failed / f"{name}.png"))
                reason += f" (page: {failed / name}.png)"
            except PlaywrightError:
                pass
            self._line(f"FAIL {name}: {reason}")
            self.failures += 1
            return False
        self._line(f"PASS {name} ({detail}; {time.monotonic() - started:.1f} s)")
        return True


def check(condition: object, message: str) -> None:
    """Raise AssertionError(message) unless ``condition`` holds."""
    if not condition:
        raise AssertionError(message)


def settle(page: Page, ms: int = 1500) -> None:
    """Let animations and late renders finish before a screenshot."""
    page.wait_for_timeout(ms)


def translations() -> dict[str, Any]:
    """Return the integration's English texts, as the frontend gets them."""
    data: dict[str, Any] = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    return data


def fill(template: str, values: Mapping[str, object]) -> str:
    """Fill the ``{placeholders}`` that ``values`` has; leave the others."""
    return PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0),
        template,
    )


def paragraph(template: str, values: Mapping[str, object], *, having: str) -> str:
    """Return the filled paragraph of ``template`` that contains ``{having}``.

    Matched loosely: the text up to the first placeholder left unfilled (the
    markdown renders a paragraph as one element).
    """
    for part in template.split("\n\n"):
        if f"{{{having}}}" in part:
            text = PLACEHOLDER.split(fill(part, values))[0]
            return " ".join(text.split())
    raise ValueError(f"no paragraph with {{{having}}} in {template!r}")


def first_sentence(template: str, values: Mapping[str, object]) -> str:
    """Return the first sentence of the filled ``template`` (a loose match)."""
    text = " ".join(fill(template, values).split("\n\n")[0].split())
    text = PLACEHOLDER.split(text)[0]
    end = text.find(". ")
    return text[: end + 1] if end > 0 else text


def longest_literal(template: str) -> str:
    """Return the longest stretch of ``template`` without a placeholder or break."""
    parts = [p.strip() for p in re.split(r"\{\w+\}|\n", template)]
    return max(parts, key=len)


def hass_call(page: Page, script: str, arg: object = None) -> Any:
    """Run ``script`` (an async function of ``hass`` and ``arg``) in the page.

    The logged-in frontend's own connection: what a user's clicks would send.
    """
    return page.evaluate(
        f"""async (arg) => {{
            const hass = document.querySelector("home-assistant").hass;
            return await ({script})(hass, arg);
        }}""",
        arg,
    )


def wait_in_page(
    page: Page, script: str, arg: object, what: str, seconds: float
) -> Any:
    """Poll ``script`` (as in ``hass_call``) until it returns something truthy."""
    deadline = time.monotonic() + seconds
    while True:
        value = hass_call(page, script, arg)
        if value:
            return value
        check(time.monotonic() < deadline, f"no {what} after {seconds:.0f} s")
        page.wait_for_timeout(500)


STATE = "(hass, id) => hass.states[id] && hass.states[id].state"


def login(page: Page, url: str, username: str, password: str) -> str:
    """Log in on Home Assistant's login page."""
    page.goto(f"{url}/", wait_until="domcontentloaded")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda u: "auth_callback" not in u and "/auth/" not in u)
    page.locator("home-assistant").wait_for(state="attached")
    page.get_by_text("Overview").first.wait_for()
    return f"logged in, at {page.url.removeprefix(url)}"


def add_integration(page: Page, url: str, name: str, shot: Path) -> str:
    """Add a heat pump (brand Other) through the "Add integration" deep link."""
    page.goto(
        f"{url}/config/integrations/dashboard/add?domain=heat_pump_care",
        wait_until="domcontentloaded",
    )
    # A confirmation first ("Do you want to set up Heat Pump Care?").
    title = page.get_by_text("Add a heat pump").first
    ok = page.get_by_role("button", name="OK", exact=True)
    ok.or_(title).first.wait_for()
    if ok.count() and ok.first.is_visible():
        ok.first.click()
    title.wait_for()
    page.get_by_role("textbox", name=re.compile(r"^Name")).fill(name)
    page.get_by_role("textbox", name=re.compile(r"^Model")).fill("EHVX08S23E")
    page.locator("ha-selector-select").first.click()
    choices = page.get_by_role("option").or_(page.get_by_role("menuitem"))
    choices.filter(has_text=re.compile(r"^\s*Other")).first.click()
    page.get_by_text("Other / not listed").first.wait_for()
    settle(page, 800)
    page.screenshot(path=str(shot))
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Filter last changed").first.wait_for()
    page.get_by_role("button", name="Submit").click()
    # The success dialog offers an area for the new device.
    finish = page.get_by_role("button", name="Skip and finish").or_(
        page.get_by_role("button", name="Finish")
    )
    finish.first.wait_for()
    finish.first.click()
    return f"{name!r} created, form in {shot.name}"


def device_page(page: Page, url: str, targets: Mapping[str, Any], shot: Path) -> str:
    """Open the Living room heat pump's device page: the error and its meaning."""
    texts = translations()["entity"]["sensor"]
    label = texts["error_meaning"]["name"]
    meaning = str(targets["error_meaning"])
    page.goto(
        f"{url}/config/devices/device/{targets['device_id']}",
        wait_until="domcontentloaded",
    )
    page.get_by_text(targets["device_name"]).first.wait_for()
    page.get_by_text(texts["reset_status"]["name"]).first.wait_for()
    row = page.get_by_text(label, exact=True).first
    row.wait_for()
    row.scroll_into_view_if_needed()
    # The row shows the meaning (perhaps cut short with an ellipsis).
    shown = page.get_by_text(meaning[:30]).first
    shown.wait_for()
    check(shown.is_visible(), f"{meaning!r} not visible on the device page")
    settle(page)
    page.screenshot(path=str(shot))
    return f"{shot.name}: {label} {meaning!r}"


def dashboard(page: Page, url: str, path: str, shot: Path) -> str:
    """Open the dashboard with the maintenance, reset and error entities."""
    page.goto(f"{url}{path}", wait_until="domcontentloaded")
    page.get_by_text("Reset status").first.wait_for()
    page.get_by_text("Days since filter change").first.wait_for()
    settle(page)
    page.screenshot(path=str(shot))
    return shot.name


def repairs(page: Page, url: str, text: str, shot: Path) -> str:
    """Open the repairs page, which lists the heat pump's fault."""
    page.goto(f"{url}/config/repairs", wait_until="domcontentloaded")
    page.get_by_text(text).first.wait_for()
    settle(page)
    page.screenshot(path=str(shot))
    return shot.name


def open_repair(page: Page, url: str, title: str) -> None:
    """Open the repairs page and click the repair called ``title``."""
    page.goto(f"{url}/config/repairs", wait_until="domcontentloaded")
    item = page.get_by_text(title).first
    item.wait_for()
    item.click()


def close_dialog(page: Page) -> None:
    """Close the open dialog without acting on it."""
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)


def issue_of(
    page: Page, entry_id: str, code: str, seconds: float = 30
) -> dict[str, Any]:
    """Wait for the heat pump's fault repair of ``code``; return the issue."""
    issue: dict[str, Any] = wait_in_page(
        page,
        """async (hass, arg) => {
            const result = await hass.callWS({type: "repairs/list_issues"});
            return result.issues.find((i) => i.domain === "heat_pump_care"
                && i.issue_id === `fault_${arg.entry_id}`
                && (i.translation_placeholders || {}).code === arg.code) || null;
        }""",
        {"entry_id": entry_id, "code": code},
        f"fault repair of {code}",
        seconds,
    )
    return issue


def reset_over(page: Page, targets: Mapping[str, Any]) -> str:
    """Wait for the scenario's ``sigkill-verified``: the reset under way is over."""
    marker = Path(targets["sigkill_marker"])
    started = time.monotonic()
    while not marker.exists():
        check(
            time.monotonic() - started < MARKER_TIMEOUT_S,
            f"no {marker.name} after {MARKER_TIMEOUT_S} s",
        )
        page.wait_for_timeout(1000)
    status = wait_in_page(
        page,
        f"""async (hass, id) => {{
            const s = ({STATE})(hass, id);
            return ["completed", "idle", "cancelled"].includes(s) ? s : null;
        }}""",
        targets["reset_status_entity"],
        "finished reset",
        60,
    )
    waited = time.monotonic() - started
    return f"{marker.name}: {marker.read_text().strip()}, reset {status}; waited {waited:.0f} s"


def logbook(page: Page, url: str, targets: Mapping[str, Any], shot: Path) -> str:
    """Open the logbook as a safe reset cuts the power: local restore times.

    Not filtered by the device: the logbook page resolves a device to its
    entities, which leaves out the integration's own rows (they carry the
    device, not an entity).  The time window is the SIGKILL reset's start.
    """
    until = f"until {targets['restore_local']}"
    query = urlencode(
        {"start_date": targets["logbook_start"], "end_date": targets["logbook_end"]}
    )
    page.goto(f"{url}/logbook?{query}", wait_until="domcontentloaded")
    page.get_by_text(targets["device_name"]).first.wait_for()
    # Newest first, and only the rows in view are rendered: scroll down to
    # the SIGKILL reset's "power is off until ..." if the window has more.
    entry = page.get_by_text(until)
    rows = page.locator("ha-logbook").first
    rows.wait_for()
    for _ in range(40):
        if entry.count():
            break
        box = rows.bounding_box()
        check(box is not None, "the logbook list is not shown")
        assert box is not None  # noqa: S101 - narrowed by check
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(300)
    entry.first.wait_for(timeout=5000)
    entry.first.evaluate("(e) => e.scrollIntoView({block: 'center'})")
    settle(page)
    iso = page.get_by_text(re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\+00:00"))
    check(
        not iso.count(), f"a raw timestamp in the logbook: {iso.all_inner_texts()[:1]}"
    )
    page.screenshot(path=str(shot))
    return f"{shot.name}: 'power is off {until}' ({targets['time_zone']})"


def repair_fix(page: Page, url: str, targets: Mapping[str, Any], shot: Path) -> str:
    """Open the U4 repair: the code explained, the safe reset offered in numbers."""
    issue = issue_of(page, targets["entry_id"], "U4")
    key = issue["translation_key"]
    check(key == "fault_reset", f"the U4 repair is {key!r}, not fault_reset")
    step = translations()["issues"][key]["fix_flow"]["step"]["confirm"]
    values = {
        **issue["translation_placeholders"],
        "off_minutes": targets["off_minutes"],
    }
    offer = paragraph(step["description"], values, having="off_minutes")
    label = step.get("submit", "Submit")
    open_repair(page, url, fill(step["title"], values))
    page.get_by_text(offer).first.wait_for()
    button = page.get_by_role("button", name=label)
    button.first.wait_for()
    settle(page, 1000)
    page.screenshot(path=str(shot))
    close_dialog(page)  # the safe reset is not started
    return f"{shot.name}: {offer[-60:]!r}, button {label!r}"


def use_daily_limit(page: Page, targets: Mapping[str, Any]) -> str:
    """Lower ``max_resets_per_day`` to the resets already made (options flow)."""
    made = hass_call(
        page,
        "async (hass, id) => hass.states[id].attributes.resets_last_24h",
        targets["reset_status_entity"],
    )
    check(isinstance(made, int) and made >= 1, f"resets_last_24h is {made!r}")
    limit = min(made, 10)
    result = hass_call(
        page,
        """async (hass, arg) => {
            const base = "config/config_entries/options/flow";
            let flow = await hass.callApi("POST", base, {handler: arg.entry_id});
            flow = await hass.callApi("POST", `${base}/${flow.flow_id}`,
                {next_step_id: "safe_reset"});
            return await hass.callApi("POST", `${base}/${flow.flow_id}`, {
                reset_off_minutes: arg.off_minutes,
                max_resets_per_day: arg.limit,
                fault_watch_minutes: 0,
            });
        }""",
        {
            "entry_id": targets["entry_id"],
            "off_minutes": targets["off_minutes"],
            "limit": limit,
        },
    )
    check(result.get("type") == "create_entry", f"options flow gave {result}")
    # The entry reloads (its fault repair comes back with it): wait until it
    # is loaded again and its reset status is back.
    page.wait_for_timeout(2000)
    wait_in_page(
        page,
        """async (hass, arg) => {
            const entries = await hass.callWS(
                {type: "config_entries/get", domain: "heat_pump_care"});
            const entry = entries.find((e) => e.entry_id === arg.entry_id);
            const status = hass.states[arg.status];
            return entry && entry.state === "loaded" && status
                && ["completed", "idle", "cancelled"].includes(status.state);
        }""",
        {"entry_id": targets["entry_id"], "status": targets["reset_status_entity"]},
        "loaded entry after the options flow",
        60,
    )
    return f"{made} resets in 24 h, max_resets_per_day {limit}"


def repair_refused(page: Page, url: str, targets: Mapping[str, Any], shot: Path) -> str:
    """Open the U4 repair with the daily limit used: why and when, no reset."""
    texts = translations()
    issue = issue_of(page, targets["entry_id"], "U4")
    flow = texts["issues"][issue["translation_key"]]["fix_flow"]
    values = dict(issue["translation_placeholders"])
    refusal = paragraph(flow["abort"]["reset_not_allowed"], values, having="reason")
    why = longest_literal(texts["exceptions"]["reset_refused_limit_reached"]["message"])
    open_repair(page, url, fill(flow["step"]["confirm"]["title"], values))
    page.get_by_text(refusal).first.wait_for()
    page.get_by_text(why).first.wait_for()
    label = flow["step"]["confirm"].get("submit", "Submit")
    check(
        not page.get_by_role("button", name=label).count(),
        f"the refusal still offers {label!r}",
    )
    settle(page, 1000)
    page.screenshot(path=str(shot))
    close_dialog(page)
    return f"{shot.name}: {refusal!r} … {why!r}"


def repair_unknown(page: Page, url: str, targets: Mapping[str, Any], shot: Path) -> str:
    """Set a code the catalogue does not know and open its repair."""
    code = str(targets["unknown_code"])
    hass_call(
        page,
        """async (hass, arg) => hass.callService("input_text", "set_value",
            {entity_id: arg.entity_id, value: arg.code})""",
        {"entity_id": targets["error_text_entity"], "code": code},
    )
    issue = issue_of(page, targets["entry_id"], code)
    text = translations()["issues"][issue["translation_key"]]
    values = dict(issue["translation_placeholders"])
    title = fill(text["title"], values)
    check(title.endswith(code), f"the repair is called {title!r}, not ending in {code}")
    opening = first_sentence(text["description"], values)
    open_repair(page, url, title)
    page.get_by_text(opening).first.wait_for()
    settle(page, 1000)
    page.screenshot(path=str(shot))
    close_dialog(page)
    return f"{shot.name}: {title!r}, {issue['translation_key']}: {opening!r}"


def todo_list(page: Page, url: str, targets: Mapping[str, Any], shot: Path) -> str:
    """Open the maintenance to-do list: the own task, its key and its note."""
    page.goto(
        f"{url}/todo?entity_id={targets['todo_entity']}",
        wait_until="domcontentloaded",
    )
    page.get_by_text(targets["own_task"], exact=True).first.wait_for()
    note = page.get_by_text(targets["own_note"]).first
    note.wait_for()
    check(note.is_visible(), f"{targets['own_note']!r} not shown on the to-do list")
    key = page.get_by_text(f"key: {targets['own_task_key']}").first
    check(key.is_visible(), "the task key is not shown on the to-do list")
    settle(page)
    page.screenshot(path=str(shot))
    return f"{shot.name}: {targets['own_task']!r} with its key and note"


def calendar_log(page: Page, url: str, targets: Mapping[str, Any], shot: Path) -> str:
    """Open the calendar: today's completion of the own task is an event."""
    page.goto(f"{url}/calendar", wait_until="domcontentloaded")
    # The list view shows whole titles (the month view cuts them short).
    # Its toggle is labelled "List (7 days)" by the frontend.
    listing = page.get_by_label(re.compile(r"^List\b"))
    listing.first.wait_for()
    listing.first.click()
    done = f"{targets['own_task']} done"
    event = page.get_by_text(done).first
    event.wait_for()
    check(event.is_visible(), f"{done!r} not in the calendar")
    settle(page)
    page.screenshot(path=str(shot))
    return f"{shot.name}: {done!r}"


def main(argv: list[str] | None = None) -> int:
    """Run every step; exit 1 if one failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--username", default="dev")
    parser.add_argument("--password", default="dev-password")
    parser.add_argument("--targets", required=True, help="browser.json of the scenario")
    parser.add_argument("--results", required=True)
    parser.add_argument("--out", required=True, help="screenshot directory")
    args = parser.parse_args(argv)
    url = args.url.rstrip("/")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    targets = json.loads(Path(args.targets).read_text(encoding="utf-8"))
    results = Path(args.results)
    steps = Steps(results, results.parent)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # Home Assistant's time zone, so the frontend's times and the
            # logbook's texts agree.
            context = browser.new_context(
                viewport={"width": 1280, "height": 860},
                locale="en-US",
                timezone_id=targets.get("time_zone"),
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            if not steps.run(
                "browser-login",
                page,
                lambda: login(page, url, args.username, args.password),
            ):
                return 1
            steps.run(
                "browser-add-integration",
                page,
                lambda: add_integration(
                    page, url, targets["attic_name"], out / "config_flow.png"
                ),
            )
            steps.run(
                "browser-device-page",
                page,
                lambda: device_page(page, url, targets, out / "device.png"),
            )
            steps.run(
                "browser-dashboard",
                page,
                lambda: dashboard(
                    page, url, targets["dashboard"], out / "dashboard.png"
                ),
            )
            steps.run(
                "browser-repairs",
                page,
                lambda: repairs(page, url, targets["repair_text"], out / "repairs.png"),
            )
            steps.run(
                "browser-todo-list",
                page,
                lambda: todo_list(page, url, targets, out / "todo.png"),
            )
            steps.run(
                "browser-calendar-log",
                page,
                lambda: calendar_log(page, url, targets, out / "calendar.png"),
            )
            # The rest needs the reset under way to be over.
            if not steps.run(
                "browser-wait-reset-over", page, lambda: reset_over(page, targets)
            ):
                return 1
            steps.run(
                "browser-logbook",
                page,
                lambda: logbook(page, url, targets, out / "logbook.png"),
            )
            steps.run(
                "browser-repair-fix",
                page,
                lambda: repair_fix(page, url, targets, out / "repair_fix.png"),
            )
            if steps.run(
                "browser-use-daily-limit", page, lambda: use_daily_limit(page, targets)
            ):
                steps.run(
                    "browser-repair-refused",
                    page,
                    lambda: repair_refused(
                        page, url, targets, out / "repair_refused.png"
                    ),
                )
            steps.run(
                "browser-repair-unknown-code",
                page,
                lambda: repair_unknown(page, url, targets, out / "repair_unknown.png"),
            )
        finally:
            browser.close()
    return 1 if steps.failures else 0


if __name__ == "__main__":
    sys.exit(main())
