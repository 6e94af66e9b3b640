"""The reference's config flow: entries are created by the benchmark only."""

from __future__ import annotations

from homeassistant.config_entries import ConfigFlow

from . import DOMAIN


class ReferenceConfigFlow(ConfigFlow, domain=DOMAIN):
    """A flow without steps; the benchmark adds entries directly."""

    VERSION = 1
