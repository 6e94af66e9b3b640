"""Prepare a Home Assistant config directory for ``scripts/develop``.

Runs with the dev venv's Python (Home Assistant importable):

    python hass_setup.py storage CONFIG_DIR --port 8123
        Write the HTTP bind address (127.0.0.1:PORT) into ``.storage/http``
        and mark the onboarding steps other than ``user`` done, so the first
        start binds loopback only and starts no flows that need the internet.

    python hass_setup.py requirements CONFIG_DIR
        Install the runtime requirements of every integration the config
        will set up (and their dependencies), plus the auth MFA modules', with
        Home Assistant's own resolver and constraints.  Run it WITH network
        before starting Home Assistant in a namespace that has none.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
import json
import logging
import os
from pathlib import Path
import sys
from typing import Any

_LOGGER = logging.getLogger("hass_setup")

ONBOARDING_DONE_WITHOUT_USER = ["core_config", "analytics", "integration"]


def _write_store(path: Path, version: int, minor: int, key: str, data: Any) -> None:
    """Write one Home Assistant ``Store`` file atomically, private to the owner."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"version": version, "minor_version": minor, "key": key, "data": data}
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


def write_http_store(config_dir: Path, host: str, port: int) -> bool:
    """Make the stored (stable) HTTP config bind ``host:port``; True if changed."""
    from homeassistant.components.http import config as http_config  # noqa: PLC0415

    path = config_dir / ".storage" / http_config.STORAGE_KEY
    current: dict[str, Any] | None = None
    if path.exists():
        current = json.loads(path.read_text(encoding="utf-8"))
    if current is not None:
        stable = current["data"].get(http_config.KEY_STABLE, {})
        if (
            stable.get("server_host") == [host]
            and stable.get("server_port") == port
            and current["data"].get(http_config.KEY_PENDING) is None
            and current["data"].get(http_config.KEY_YAML_MIGRATION_DONE)
        ):
            return False
        base = {
            key: value
            for key, value in stable.items()
            if key not in ("created_at", "error", "error_message")
        }
    else:
        base = {}
    base.update(server_host=[host], server_port=port)
    conf = dict(http_config.HTTP_STORAGE_SCHEMA(base))
    conf.update(
        created_at=datetime.now(UTC).isoformat(), error=None, error_message=None
    )
    _write_store(
        path,
        http_config.STORAGE_VERSION,
        http_config.STORAGE_MINOR_VERSION,
        http_config.STORAGE_KEY,
        {
            http_config.KEY_STABLE: conf,
            http_config.KEY_PENDING: None,
            http_config.KEY_YAML_MIGRATION_DONE: True,
        },
    )
    return True


def write_onboarding_store(config_dir: Path) -> bool:
    """Mark every onboarding step but ``user`` done, unless a store exists."""
    from homeassistant.components import onboarding  # noqa: PLC0415

    path = config_dir / ".storage" / onboarding.STORAGE_KEY
    if path.exists():
        return False
    _write_store(
        path,
        onboarding.STORAGE_VERSION,
        1,
        onboarding.STORAGE_KEY,
        {"done": list(ONBOARDING_DONE_WITHOUT_USER)},
    )
    return True


def _custom_domains(config_dir: Path) -> set[str]:
    """Domains of the custom integrations present in the config directory."""
    root = config_dir / "custom_components"
    if not root.is_dir():
        return set()
    return {item.parent.name for item in root.glob("*/manifest.json")}


async def install_requirements(config_dir: Path) -> int:
    """Install requirements for all domains the config sets up; 0 on success."""
    # Imported here: importing Home Assistant takes a moment and is only
    # needed for this command.
    from homeassistant import bootstrap, config as conf_util, loader, requirements  # noqa: PLC0415
    from homeassistant.auth.mfa_modules import notify, totp  # noqa: PLC0415
    from homeassistant.const import BASE_PLATFORMS  # noqa: PLC0415
    from homeassistant.core import HomeAssistant  # noqa: PLC0415
    from homeassistant.helpers import config_validation as cv  # noqa: PLC0415

    hass = HomeAssistant(str(config_dir))
    loader.async_setup(hass)
    try:
        config = await conf_util.async_hass_config_yaml(hass)
        custom = _custom_domains(config_dir)
        domains = (
            {cv.domain_key(key) for key in config}
            | bootstrap.CORE_INTEGRATIONS
            | bootstrap.DEFAULT_INTEGRATIONS
            | bootstrap.DEFAULT_INTEGRATIONS_RECOVERY_MODE
            | BASE_PLATFORMS
            | {"logger", "network", "system_log", "recorder"}
            | custom
        )
        failed_builtin: list[str] = []
        for domain in sorted(domains):
            try:
                await requirements.async_get_integration_with_requirements(hass, domain)
            except Exception as err:  # noqa: BLE001 - report every domain
                if domain in custom:
                    _LOGGER.warning("custom integration %s: %s", domain, err)
                else:
                    _LOGGER.error("%s: %s", domain, err)
                    failed_builtin.append(domain)
        mfa = sorted({*totp.REQUIREMENTS, *notify.REQUIREMENTS})
        try:
            await requirements.async_process_requirements(hass, "auth_mfa", mfa)
        except Exception as err:  # noqa: BLE001
            _LOGGER.error("auth MFA modules: %s", err)
            failed_builtin.append("auth_mfa")
        _LOGGER.info(
            "requirements checked for %d domains%s",
            len(domains),
            f"; failed: {', '.join(failed_builtin)}" if failed_builtin else "",
        )
        return 1 if failed_builtin else 0
    finally:
        await hass.async_stop(force=True)


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    storage = commands.add_parser("storage", help="write .storage/http and onboarding")
    storage.add_argument("config_dir", type=Path)
    storage.add_argument("--host", default="127.0.0.1")
    storage.add_argument("--port", type=int, default=8123)
    reqs = commands.add_parser("requirements", help="install runtime requirements")
    reqs.add_argument("config_dir", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("homeassistant.loader").setLevel(logging.WARNING)
    config_dir: Path = args.config_dir.resolve()
    if args.command == "storage":
        if write_http_store(config_dir, args.host, args.port):
            _LOGGER.info("HTTP bound to %s:%d in .storage/http", args.host, args.port)
        if write_onboarding_store(config_dir):
            _LOGGER.info("onboarding prepared (only the owner account is missing)")
        return 0
    os.environ.setdefault("UV_NATIVE_TLS", "1")
    return asyncio.run(install_requirements(config_dir))


if __name__ == "__main__":
    sys.exit(main())
