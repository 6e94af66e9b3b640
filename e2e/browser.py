"""Drive Home Assistant's frontend in a real Chromium and take screenshots.

Runs with the host venv that ``scripts/e2e`` builds (Playwright from PyPI,
Debian's ``chromium``; Python 3.11 is enough)::

    python e2e/browser.py --url URL --targets WORK/browser.json \
        --results WORK/results.txt --out docs/screenshots

Steps: log in, add a second heat pump through "Add integration", and save
``config_flow.png``, ``device.png``, ``dashboard.png`` and ``repairs.png``.
Each step prints ``PASS name (detail)`` or ``FAIL name: reason``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import json
from pathlib import Path
import re
import sys
import time

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


def device_page(page: Page, url: str, device_id: str, name: str, shot: Path) -> str:
    """Open the Living room heat pump's device page."""
    page.goto(f"{url}/config/devices/device/{device_id}", wait_until="domcontentloaded")
    page.get_by_text(name).first.wait_for()
    page.get_by_text("Reset status").first.wait_for()
    settle(page)
    page.screenshot(path=str(shot))
    return shot.name


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
    item = page.get_by_text(text).first
    item.wait_for()
    settle(page)
    page.screenshot(path=str(shot))
    # The fix flow explains the code and offers the safe reset (not started).
    item.click()
    page.get_by_text("Start a safe reset now?").first.wait_for()
    settle(page, 1000)
    dialog_shot = shot.with_name("repair_fix.png")
    page.screenshot(path=str(dialog_shot))
    page.keyboard.press("Escape")
    return f"{shot.name}, {dialog_shot.name}"


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
            context = browser.new_context(
                viewport={"width": 1280, "height": 860}, locale="en-US"
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
                lambda: device_page(
                    page,
                    url,
                    targets["device_id"],
                    targets["device_name"],
                    out / "device.png",
                ),
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
        finally:
            browser.close()
    return 1 if steps.failures else 0


if __name__ == "__main__":
    sys.exit(main())
