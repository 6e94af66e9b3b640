"""A small client for a running Home Assistant: REST + websocket.

Used by ``scripts/develop`` (``ready``: wait, onboard, token) and meant to be
imported by the end-to-end script::

    from e2e_api import HassClient

    async with HassClient(url, token) as ha:
        flow = await ha.config_flow_start("heat_pump_care")
        flow = await ha.config_flow_step(flow["flow_id"], {"name": "Hall", ...})
        resp = await ha.call_service(
            "heat_pump_care", "lookup_error_code", {"code": "U4"},
            return_response=True,
        )
        await ha.wait_for_state("input_boolean.heat_pump_breaker", "off")
        async with ha.websocket() as ws:
            async for event in ws.subscribe_events("heat_pump_care_reset"):
                ...

Runs with the dev venv's Python (aiohttp comes with Home Assistant).  The
command line (``python e2e_api.py --help``) covers the shell's needs.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
import contextlib
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import sys
import time
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import aiohttp

type Json = Any
type StatePredicate = Callable[[dict[str, Any] | None], bool]

DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=60)


class HassApiError(Exception):
    """An unexpected answer from Home Assistant."""

    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        """Remember the request and the answer."""
        super().__init__(f"{method} {path} -> HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


def client_id_for(url: str) -> str:
    """Return the OAuth client id Home Assistant's frontend uses for ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


# --------------------------------------------------------------------------
# Onboarding and tokens (no token needed yet)


async def wait_until_up(
    url: str, *, max_wait: float = 300, pid: int | None = None
) -> None:
    """Wait until the HTTP API answers at all (401 without a token is fine).

    With ``pid``, give up at once when that process is gone.
    """
    deadline = time.monotonic() + max_wait
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        while True:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(f"{url}/api/") as resp:
                    if resp.status in (200, 401):
                        return
            if pid is not None and not await asyncio.to_thread(
                Path(f"/proc/{pid}").exists
            ):
                raise RuntimeError(f"Home Assistant (PID {pid}) exited")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {max_wait:.0f} s")
            await asyncio.sleep(0.25)


async def onboarding_steps(url: str) -> dict[str, bool] | None:
    """Return ``{step: done}``, or None when onboarding is complete."""
    async with (
        aiohttp.ClientSession(timeout=DEFAULT_TIMEOUT) as session,
        session.get(f"{url}/api/onboarding") as resp,
    ):
        if resp.status == 404:
            return None
        if resp.status != 200:
            raise HassApiError("GET", "/api/onboarding", resp.status, await resp.text())
        steps = await resp.json()
    return {item["step"]: bool(item["done"]) for item in steps}


async def create_owner(
    url: str, *, name: str, username: str, password: str, language: str = "en"
) -> str:
    """Create the owner account (onboarding ``user`` step); return an auth code."""
    payload = {
        "client_id": client_id_for(url),
        "name": name,
        "username": username,
        "password": password,
        "language": language,
    }
    async with (
        aiohttp.ClientSession(timeout=DEFAULT_TIMEOUT) as session,
        session.post(f"{url}/api/onboarding/users", json=payload) as resp,
    ):
        if resp.status != 200:
            raise HassApiError(
                "POST", "/api/onboarding/users", resp.status, await resp.text()
            )
        code: str = (await resp.json())["auth_code"]
    return code


async def login(url: str, *, username: str, password: str) -> str:
    """Log in through the login flow of the built-in provider; return an auth code."""
    client_id = client_id_for(url)
    async with aiohttp.ClientSession(timeout=DEFAULT_TIMEOUT) as session:
        start = {
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{client_id}?auth_callback=1",
        }
        async with session.post(f"{url}/auth/login_flow", json=start) as resp:
            if resp.status != 200:
                raise HassApiError(
                    "POST", "/auth/login_flow", resp.status, await resp.text()
                )
            flow = await resp.json()
        step = {"username": username, "password": password, "client_id": client_id}
        path = f"/auth/login_flow/{flow['flow_id']}"
        async with session.post(f"{url}{path}", json=step) as resp:
            result = await resp.json(content_type=None)
            if resp.status != 200 or result.get("type") != "create_entry":
                raise HassApiError("POST", path, resp.status, json.dumps(result))
    code: str = result["result"]
    return code


async def exchange_code(url: str, code: str) -> dict[str, Any]:
    """Exchange an auth code for ``access_token`` / ``refresh_token``."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id_for(url),
    }
    async with (
        aiohttp.ClientSession(timeout=DEFAULT_TIMEOUT) as session,
        session.post(f"{url}/auth/token", data=form) as resp,
    ):
        if resp.status != 200:
            raise HassApiError("POST", "/auth/token", resp.status, await resp.text())
        tokens: dict[str, Any] = await resp.json()
    return tokens


async def create_long_lived_token(
    url: str, access_token: str, *, client_name: str, lifespan_days: int = 3650
) -> str:
    """Create a long-lived access token over the websocket API."""
    async with HassClient(url, access_token) as ha, ha.websocket() as ws:
        token: str = await ws.command(
            {
                "type": "auth/long_lived_access_token",
                "client_name": client_name,
                "lifespan": lifespan_days,
            }
        )
    return token


def _read_token(token_file: Path) -> str:
    """Return the stored token, or "" when there is none."""
    try:
        return token_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


async def token_works(url: str, token: str) -> bool:
    """True when ``token`` is accepted by the REST API."""
    async with (
        aiohttp.ClientSession(timeout=DEFAULT_TIMEOUT) as session,
        session.get(
            f"{url}/api/", headers={"Authorization": f"Bearer {token}"}
        ) as resp,
    ):
        return resp.status == 200


async def ensure_token(
    url: str, token_file: Path, *, name: str, username: str, password: str
) -> str:
    """Return a working long-lived token, onboarding or logging in if needed.

    The token is cached in ``token_file`` (mode 0600).  On a fresh instance
    this creates the owner account; later it logs in with the same login.
    """
    token = await asyncio.to_thread(_read_token, token_file)
    if token and await token_works(url, token):
        return token
    steps = await onboarding_steps(url)
    if steps is not None and not steps.get("user", False):
        code = await create_owner(url, name=name, username=username, password=password)
    else:
        code = await login(url, username=username, password=password)
    tokens = await exchange_code(url, code)
    token = await create_long_lived_token(
        url,
        tokens["access_token"],
        client_name=f"scripts ({time.strftime('%Y-%m-%d %H:%M:%S')})",
    )
    token_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    return token


# --------------------------------------------------------------------------
# Authenticated client


@dataclass(slots=True)
class HassClient:
    """REST client for one Home Assistant with a bearer token."""

    url: str
    token: str
    timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT
    _session: aiohttp.ClientSession | None = field(default=None, init=False)

    @classmethod
    def from_token_file(cls, url: str, token_file: Path) -> HassClient:
        """Build a client from a token stored by ``ensure_token``."""
        return cls(url, token_file.read_text(encoding="utf-8").strip())

    async def __aenter__(self) -> Self:
        """Open the HTTP session."""
        self._session = aiohttp.ClientSession(
            timeout=self.timeout,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The open session (use the client as ``async with``)."""
        if self._session is None:
            raise RuntimeError("use HassClient as 'async with HassClient(...) as ha'")
        return self._session

    async def request(
        self,
        method: str,
        path: str,
        payload: Json = None,
        *,
        params: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201),
    ) -> Json:
        """Send one REST request; return the decoded JSON (or text) answer."""
        async with self.session.request(
            method, f"{self.url}{path}", json=payload, params=params
        ) as resp:
            text = await resp.text()
            if resp.status not in ok:
                raise HassApiError(method, path, resp.status, text)
            if resp.content_type == "application/json" and text:
                return json.loads(text)
            return text

    # --- states -----------------------------------------------------------

    async def get_state(self, entity_id: str) -> dict[str, Any] | None:
        """Return the state object of ``entity_id``, or None if it does not exist."""
        try:
            state: dict[str, Any] = await self.request(
                "GET", f"/api/states/{entity_id}"
            )
        except HassApiError as err:
            if err.status == 404:
                return None
            raise
        return state

    async def get_states(self) -> list[dict[str, Any]]:
        """Return all state objects."""
        states: list[dict[str, Any]] = await self.request("GET", "/api/states")
        return states

    async def wait_for_state(
        self,
        entity_id: str,
        expected: str | StatePredicate,
        *,
        max_wait: float = 30,
        interval: float = 0.25,
    ) -> dict[str, Any] | None:
        """Poll until the state equals ``expected`` (or the predicate holds).

        Returns the matching state object; raises TimeoutError with the last
        state seen.
        """
        deadline = time.monotonic() + max_wait
        while True:
            state = await self.get_state(entity_id)
            if callable(expected):
                matched = expected(state)
            else:
                matched = state is not None and state["state"] == expected
            if matched:
                return state
            if time.monotonic() > deadline:
                seen = None if state is None else state["state"]
                raise TimeoutError(
                    f"{entity_id} did not reach {expected!r} within {max_wait:.0f} s (last: {seen!r})"
                )
            await asyncio.sleep(interval)

    # --- services and events ----------------------------------------------

    async def call_service(
        self,
        domain: str,
        service: str,
        data: Mapping[str, Any] | None = None,
        *,
        return_response: bool = False,
    ) -> Json:
        """Call a service.

        Without ``return_response``: the list of changed states.  With it:
        the ``service_response`` (the service must support responses).
        """
        params = {"return_response": ""} if return_response else None
        result = await self.request(
            "POST", f"/api/services/{domain}/{service}", dict(data or {}), params=params
        )
        if return_response:
            return result["service_response"]
        return result

    async def fire_event(
        self, event_type: str, data: Mapping[str, Any] | None = None
    ) -> None:
        """Fire an event on the bus."""
        await self.request("POST", f"/api/events/{event_type}", dict(data or {}))

    async def config(self) -> dict[str, Any]:
        """Return ``/api/config`` (``state`` is ``RUNNING`` once started)."""
        conf: dict[str, Any] = await self.request("GET", "/api/config")
        return conf

    async def wait_running(self, *, max_wait: float = 300) -> None:
        """Wait until the core reports the RUNNING state."""
        deadline = time.monotonic() + max_wait
        while (await self.config()).get("state") != "RUNNING":
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"Home Assistant not RUNNING within {max_wait:.0f} s"
                )
            await asyncio.sleep(0.25)

    # --- config entries and flows -----------------------------------------

    async def config_entries(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Return the config entries (optionally of one domain)."""
        params = {"domain": domain} if domain else None
        entries: list[dict[str, Any]] = await self.request(
            "GET", "/api/config/config_entries/entry", params=params
        )
        return entries

    async def config_flow_start(self, handler: str) -> dict[str, Any]:
        """Start a config flow; return the first step (form, abort, ...)."""
        step: dict[str, Any] = await self.request(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": handler, "show_advanced_options": False},
        )
        return step

    async def config_flow_step(
        self, flow_id: str, user_input: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Submit one step of a config flow; return the next step."""
        step: dict[str, Any] = await self.request(
            "POST", f"/api/config/config_entries/flow/{flow_id}", dict(user_input)
        )
        return step

    async def config_flow_abort(self, flow_id: str) -> None:
        """Abort a config flow in progress."""
        await self.request("DELETE", f"/api/config/config_entries/flow/{flow_id}")

    async def options_flow_start(self, entry_id: str) -> dict[str, Any]:
        """Start the options flow of a config entry."""
        step: dict[str, Any] = await self.request(
            "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
        )
        return step

    async def options_flow_step(
        self, flow_id: str, user_input: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Submit one step of an options flow."""
        step: dict[str, Any] = await self.request(
            "POST",
            f"/api/config/config_entries/options/flow/{flow_id}",
            dict(user_input),
        )
        return step

    async def remove_entry(self, entry_id: str) -> dict[str, Any]:
        """Delete a config entry."""
        result: dict[str, Any] = await self.request(
            "DELETE", f"/api/config/config_entries/entry/{entry_id}"
        )
        return result

    async def reload_entry(self, entry_id: str) -> dict[str, Any]:
        """Reload a config entry."""
        result: dict[str, Any] = await self.request(
            "POST", f"/api/config/config_entries/entry/{entry_id}/reload"
        )
        return result

    # --- websocket --------------------------------------------------------

    @contextlib.asynccontextmanager
    async def websocket(self) -> AsyncIterator[HassWebSocket]:
        """Open an authenticated websocket connection."""
        async with self.session.ws_connect(f"{self.url}/api/websocket") as raw:
            ws = HassWebSocket(raw)
            await ws.authenticate(self.token)
            try:
                yield ws
            finally:
                ws.close_reader()


class HassWebSocket:
    """An authenticated websocket connection: commands and subscriptions."""

    def __init__(self, raw: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an open aiohttp websocket."""
        self._raw = raw
        self._next_id = 1
        self._pending: dict[int, asyncio.Future[Json]] = {}
        self._events: dict[int, asyncio.Queue[dict[str, Any]]] = {}
        self._reader: asyncio.Task[None] | None = None

    async def authenticate(self, token: str) -> None:
        """Run the auth handshake and start reading messages."""
        hello = await self._raw.receive_json()
        if hello.get("type") != "auth_required":
            raise RuntimeError(f"unexpected websocket greeting: {hello}")
        await self._raw.send_json({"type": "auth", "access_token": token})
        answer = await self._raw.receive_json()
        if answer.get("type") != "auth_ok":
            raise RuntimeError(f"websocket authentication failed: {answer}")
        self._reader = asyncio.create_task(self._read())

    def close_reader(self) -> None:
        """Stop the background reader."""
        if self._reader is not None:
            self._reader.cancel()

    async def _read(self) -> None:
        """Dispatch results to waiting commands and events to subscriptions."""
        try:
            async for msg in self._raw:
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                for item in data if isinstance(data, list) else [data]:
                    self._dispatch(item)
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError("websocket closed"))

    def _dispatch(self, item: dict[str, Any]) -> None:
        """Route one message by its id."""
        msg_id = item.get("id")
        if not isinstance(msg_id, int):
            return
        if item.get("type") == "event" and msg_id in self._events:
            self._events[msg_id].put_nowait(item["event"])
            return
        if (future := self._pending.pop(msg_id, None)) is None or future.done():
            return
        if item.get("success", True):
            future.set_result(item.get("result"))
        else:
            error = item.get("error", {})
            future.set_exception(
                RuntimeError(f"{error.get('code')}: {error.get('message')}")
            )

    async def command(
        self, message: Mapping[str, Any], *, max_wait: float = 60
    ) -> Json:
        """Send a command (without ``id``) and return its ``result``."""
        msg_id = self._next_id
        self._next_id += 1
        future: asyncio.Future[Json] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        await self._raw.send_json({**message, "id": msg_id})
        return await asyncio.wait_for(future, max_wait)

    async def subscribe(
        self, message: Mapping[str, Any]
    ) -> asyncio.Queue[dict[str, Any]]:
        """Send a subscription command; events arrive in the returned queue."""
        msg_id = self._next_id
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._events[msg_id] = queue
        await self.command(message)
        return queue

    async def subscribe_events(
        self, event_type: str | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Yield bus events (``{event_type, data, time_fired, ...}``) as they come."""
        message: dict[str, Any] = {"type": "subscribe_events"}
        if event_type:
            message["event_type"] = event_type
        queue = await self.subscribe(message)
        while True:
            yield await queue.get()


# --------------------------------------------------------------------------
# Command line


async def _cli_ready(args: argparse.Namespace) -> int:
    """Wait for the API, make sure a token exists, wait for RUNNING."""
    await wait_until_up(args.url, max_wait=args.timeout, pid=args.pid)
    token = await ensure_token(
        args.url,
        Path(args.token_file),
        name=args.name,
        username=args.username,
        password=args.password,
    )
    async with HassClient(args.url, token) as ha:
        await ha.wait_running(max_wait=args.timeout)
        conf = await ha.config()
    print(f"Home Assistant {conf.get('version')} is running at {args.url}")
    return 0


async def _cli_client(args: argparse.Namespace) -> int:
    """Sub-commands that need a token."""
    async with HassClient.from_token_file(args.url, Path(args.token_file)) as ha:
        result: Json
        match args.command:
            case "state":
                result = await ha.get_state(args.entity_id)
            case "wait-state":
                result = await ha.wait_for_state(
                    args.entity_id, args.state, max_wait=args.timeout
                )
            case "service":
                result = await ha.call_service(
                    args.domain,
                    args.service,
                    json.loads(args.data),
                    return_response=args.return_response,
                )
            case "flow":
                result = await ha.config_flow_start(args.handler)
                for step in args.steps:
                    result = await ha.config_flow_step(
                        result["flow_id"], json.loads(step)
                    )
            case _:  # pragma: no cover - argparse restricts the choices
                raise AssertionError(args.command)
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one sub-command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=f"http://127.0.0.1:{os.environ.get('HPC_PORT', '8123')}"
    )
    parser.add_argument(
        "--token-file", default=os.environ.get("HPC_HASS_TOKEN", ".dev/token")
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ready = sub.add_parser(
        "ready", help="wait, onboard/login, store a token, wait RUNNING"
    )
    ready.add_argument("--timeout", type=float, default=600)
    ready.add_argument("--pid", type=int, help="give up when this process exits")
    ready.add_argument("--name", default="Developer")
    ready.add_argument("--username", default="dev")
    ready.add_argument("--password", default="dev-password")
    state = sub.add_parser("state", help="print an entity's state object")
    state.add_argument("entity_id")
    wait = sub.add_parser("wait-state", help="wait until an entity has a state")
    wait.add_argument("entity_id")
    wait.add_argument("state")
    wait.add_argument("--timeout", type=float, default=30)
    service = sub.add_parser("service", help="call a service")
    service.add_argument("domain")
    service.add_argument("service")
    service.add_argument("data", nargs="?", default="{}", help="JSON service data")
    service.add_argument("--return-response", action="store_true")
    flow = sub.add_parser("flow", help="run a config flow: start, then each JSON step")
    flow.add_argument("handler")
    flow.add_argument("steps", nargs="*", help="JSON user input, one per step")
    args = parser.parse_args(argv)
    args.url = args.url.rstrip("/")
    runner = _cli_ready if args.command == "ready" else _cli_client
    try:
        return asyncio.run(runner(args))
    except (HassApiError, RuntimeError, TimeoutError, aiohttp.ClientError) as err:
        print(f"e2e_api: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
