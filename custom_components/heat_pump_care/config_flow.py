"""Config, reconfigure and options flows for Heat Pump Care.

All settings live in the entry's options (one source of truth); ``data`` stays
empty.  The user flow asks for the heat pump (step ``user``), its product line
when the brand has several (step ``family``) and the maintenance dates (step
``maintenance``).  The options flow edits everything through a menu; the
reconfigure flow edits the device part with the same steps as the options'
"device" step.  One validator (``flow_schemas.validate``) serves them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import probatio as vol

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_MODEL, CONF_NAME
from homeassistant.core import callback
from homeassistant.data_entry_flow import FlowHandler
from homeassistant.util import dt as dt_util

from .catalog import parse_custom_codes
from .const import (
    BRAND_OTHER,
    CONF_BRAND,
    CONF_CUSTOM_CODES,
    CONF_FAMILY,
    CONF_OUTDOOR_TEMPERATURE_ENTITY,
    DOMAIN,
)
from .flow_schemas import (
    FAMILY_NOT_SURE,
    clean,
    custom_codes_schema,
    device_schema,
    family_choice,
    family_schema,
    has_families,
    health_schema,
    maintenance_schema,
    merge_device,
    reset_schema,
    validate,
)
from .helpers import async_get_catalog
from .options import TASK_DATE_KEYS, default_options
from .task_flow import UserTaskSteps

type Finish = Callable[[dict[str, Any]], ConfigFlowResult]


class _DeviceSteps(FlowHandler[Any, ConfigFlowResult]):
    """The device and product-line steps of an existing heat pump.

    Shared by the reconfigure flow and the options flow's "device" step, so
    both check and store the same way; ``finish`` stores the new options.
    """

    _pending: dict[str, Any]

    async def _async_device(
        self,
        entry: ConfigEntry,
        user_input: dict[str, Any] | None,
        *,
        step_id: str,
        family_step: str,
        finish: Finish,
    ) -> ConfigFlowResult:
        catalog = await async_get_catalog(self.hass)
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate(
                self.hass,
                user_input,
                today=dt_util.now().date(),
                entry_id=entry.entry_id,
                device=True,
            )
            if not errors:
                options = merge_device(entry.options, user_input)
                if not has_families(catalog, options[CONF_BRAND]):
                    return finish(options)
                self._pending = options
                return await self._async_family(
                    None, step_id=family_step, finish=finish
                )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                device_schema(catalog), user_input or dict(entry.options)
            ),
            errors=errors,
        )

    def _checked(
        self,
        step_id: str,
        schema: vol.Schema,
        user_input: dict[str, Any] | None,
        suggested: Mapping[str, Any],
        finish: Finish,
    ) -> ConfigFlowResult:
        """Show a form, or validate its input and finish with it."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate(self.hass, user_input, today=dt_util.now().date())
            if not errors:
                return finish(clean(user_input))
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or suggested
            ),
            errors=errors,
        )

    async def _async_family(
        self, user_input: dict[str, Any] | None, *, step_id: str, finish: Finish
    ) -> ConfigFlowResult:
        if user_input is None:
            return await self._async_family_form(step_id)
        options = dict(self._pending)
        options.pop(CONF_FAMILY, None)
        options.update(family_choice(user_input))
        return finish(options)

    async def _async_family_form(self, step_id: str) -> ConfigFlowResult:
        """Ask for the product line.

        The line stored before, else the one the model typed before points
        to, else "not sure" is picked.
        """
        catalog = await async_get_catalog(self.hass)
        brand = self._pending[CONF_BRAND]
        suggested = dict(self._pending)
        if CONF_FAMILY not in suggested:
            suggested[CONF_FAMILY] = (
                catalog.suggest_family(brand, suggested.get(CONF_MODEL) or "")
                or FAMILY_NOT_SURE
            )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                family_schema(catalog, brand), suggested
            ),
            description_placeholders={"brand": catalog.brands[brand].name},
        )


class HeatPumpCareConfigFlow(_DeviceSteps, ConfigFlow, domain=DOMAIN):
    """Set up one heat pump."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing collected."""
        self._pending = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlowHandler:
        """Return the options flow."""
        return OptionsFlowHandler()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the heat pump, pick its brand and the entities to work with."""
        catalog = await async_get_catalog(self.hass)
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate(
                self.hass, user_input, today=dt_util.now().date(), device=True
            )
            if not errors:
                self._pending = clean(user_input)
                if has_families(catalog, self._pending[CONF_BRAND]):
                    return await self.async_step_family()
                return await self.async_step_maintenance()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                device_schema(catalog), user_input or {}
            ),
            errors=errors,
        )

    async def async_step_family(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the product line, where codes differ per line."""
        if user_input is None:
            return await self._async_family_form("family")
        self._pending.pop(CONF_FAMILY, None)
        self._pending.update(family_choice(user_input))
        return await self.async_step_maintenance()

    async def async_step_maintenance(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Record when the filter and the service were last done."""
        today = dt_util.now().date()

        def _create(dates: dict[str, Any]) -> ConfigFlowResult:
            options = {**default_options(today), **self._pending, **dates}
            return self.async_create_entry(
                title=options[CONF_NAME], data={}, options=options
            )

        return self._checked(
            "maintenance",
            maintenance_schema(include_optional=False),
            user_input,
            default_options(today),
            _create,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the heat pump's name, brand, model and entities."""
        return await self._async_device(
            self._get_reconfigure_entry(),
            user_input,
            step_id="reconfigure",
            family_step="reconfigure_family",
            finish=self._finish_reconfigure,
        )

    async def async_step_reconfigure_family(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the product line after a reconfigure."""
        return await self._async_family(
            user_input, step_id="reconfigure_family", finish=self._finish_reconfigure
        )

    def _finish_reconfigure(self, options: dict[str, Any]) -> ConfigFlowResult:
        return self.async_update_reload_and_abort(
            self._get_reconfigure_entry(), title=options[CONF_NAME], options=options
        )


class OptionsFlowHandler(_DeviceSteps, UserTaskSteps, OptionsFlowWithReload):
    """Edit a heat pump's settings; the entry reloads on change."""

    def __init__(self) -> None:
        """Start with nothing collected."""
        self._pending = {}

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer the groups of settings."""
        return self.async_show_menu(
            step_id="init",
            menu_options=[
                "device",
                "maintenance",
                "tasks",
                "safe_reset",
                "health",
                "error_codes",
            ],
        )

    async def async_step_device(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the heat pump, its brand and its entities."""
        return await self._async_device(
            self.config_entry,
            user_input,
            step_id="device",
            family_step="family",
            finish=self._save,
        )

    async def async_step_family(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the product line."""
        return await self._async_family(user_input, step_id="family", finish=self._save)

    async def async_step_maintenance(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit maintenance dates, intervals and the runtime limit."""

        def _store(dates: dict[str, Any]) -> ConfigFlowResult:
            options = dict(self.config_entry.options)
            for date_key, interval_key in TASK_DATE_KEYS.values():
                options.pop(date_key, None)
                options.pop(interval_key, None)
            options.update(dates)
            today = dt_util.now().date().isoformat()
            for date_key, interval_key in TASK_DATE_KEYS.values():
                # A task switched on without a date starts today; the date is
                # stored so it does not move on each reload.
                if options.get(interval_key) and date_key not in options:
                    options[date_key] = today
            return self._save(options)

        return self._checked(
            "maintenance",
            maintenance_schema(include_optional=True),
            user_input,
            self.config_entry.options,
            _store,
        )

    async def async_step_safe_reset(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the safe reset's timings and limits."""
        return self._checked(
            "safe_reset",
            reset_schema(),
            user_input,
            self.config_entry.options,
            lambda values: self._save({**self.config_entry.options, **values}),
        )

    async def async_step_health(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the outdoor temperature and the thresholds of the health problems."""

        def _store(values: dict[str, Any]) -> ConfigFlowResult:
            options = dict(self.config_entry.options)
            options.pop(CONF_OUTDOOR_TEMPERATURE_ENTITY, None)
            return self._save({**options, **values})

        return self._checked(
            "health",
            health_schema(),
            user_input,
            self.config_entry.options,
            _store,
        )

    async def async_step_error_codes(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add or override error codes for this unit, one per line."""
        errors: dict[str, str] = {}
        placeholders = {"line": "", "error": ""}
        if user_input is not None:
            text = user_input.get(CONF_CUSTOM_CODES, "")
            brand = self.config_entry.options.get(CONF_BRAND, BRAND_OTHER)
            _, problems = parse_custom_codes(brand, text)
            if problems:
                line, error = problems[0]
                errors[CONF_CUSTOM_CODES] = error
                placeholders = {"line": str(line), "error": error}
            else:
                options = dict(self.config_entry.options)
                options[CONF_CUSTOM_CODES] = text.strip()
                return self._save(options)
        return self.async_show_form(
            step_id="error_codes",
            data_schema=self.add_suggested_values_to_schema(
                custom_codes_schema(), user_input or dict(self.config_entry.options)
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    def _save(self, options: dict[str, Any]) -> ConfigFlowResult:
        """Store the options, renaming the entry when the name changed."""
        if (name := options.get(CONF_NAME)) and name != self.config_entry.title:
            self.hass.config_entries.async_update_entry(self.config_entry, title=name)
        return self.async_create_entry(data=options)
