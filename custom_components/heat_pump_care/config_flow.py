"""Config, options and reconfigure flows for Heat Pump Care.

All settings live in the entry's options (one source of truth); ``data`` stays
empty.  The user flow asks for the heat pump (step ``user``), its product line
when the brand has several (step ``family``) and the maintenance dates (step
``maintenance``).  The options flow edits everything through a menu; the
reconfigure flow edits the device part.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import probatio as vol

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    DateSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
from homeassistant.util import dt as dt_util

from .catalog import Catalog, parse_custom_codes
from .const import (
    BRAND_OTHER,
    CONF_BRAND,
    CONF_CLIMATE_ENTITY,
    CONF_CUSTOM_CODES,
    CONF_ERROR_CODE_ENTITY,
    CONF_FAMILY,
    CONF_MODEL,
    CONF_NAME,
    CONF_POWER_SWITCH,
    DOMAIN,
)
from .helpers import async_get_catalog
from .maintenance import TASK_SPECS
from .options import (
    ENTITY_DOMAINS,
    MAINTENANCE_INT_RANGES,
    RESET_INT_RANGES,
    TASK_DATE_KEYS,
    default_options,
)
from .reset import ACTIVE_PHASES

DEVICE_ENTITY_KEYS = (CONF_CLIMATE_ENTITY, CONF_POWER_SWITCH, CONF_ERROR_CODE_ENTITY)


class LenientNumberSelector(NumberSelector):
    """A number selector that leaves range checks to the flow.

    The frontend still shows and enforces the range; input that bypasses it
    (the REST API, an old frontend) becomes a translated form error instead of
    a schema exception.
    """

    def __call__(self, data: Any) -> float:
        """Coerce to a number without checking the range."""
        try:
            return float(data)
        except (TypeError, ValueError) as err:
            raise vol.Invalid(f"Value {data} is not a number") from err


def _number(low: int, high: int, unit: str | None = None) -> LenientNumberSelector:
    config = NumberSelectorConfig(
        min=low, max=high, step=1, mode=NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return LenientNumberSelector(config)


def _brand_selector(catalog: Catalog) -> SelectSelector:
    options = [
        SelectOptionDict(value=slug, label=catalog.brands[slug].name)
        for slug in catalog.brand_slugs()
    ]
    options.append(SelectOptionDict(value=BRAND_OTHER, label="Other"))
    return SelectSelector(
        SelectSelectorConfig(
            options=options,
            mode=SelectSelectorMode.DROPDOWN,
            translation_key=CONF_BRAND,
            sort=False,
        )
    )


def _device_schema(catalog: Catalog, *, with_name: bool = True) -> vol.Schema:
    schema: dict[vol.Marker, Any] = {}
    if with_name:
        schema[vol.Required(CONF_NAME)] = TextSelector()
    schema[vol.Required(CONF_BRAND)] = _brand_selector(catalog)
    schema[vol.Optional(CONF_MODEL)] = TextSelector()
    for key in DEVICE_ENTITY_KEYS:
        schema[vol.Optional(key)] = EntitySelector(
            EntitySelectorConfig(domain=list(ENTITY_DOMAINS[key]))
        )
    return vol.Schema(schema)


def _family_schema(catalog: Catalog, brand: str) -> vol.Schema:
    families = catalog.brands[brand].families
    return vol.Schema(
        {
            vol.Optional(CONF_FAMILY): SelectSelector(
                SelectSelectorConfig(
                    options=[
                        SelectOptionDict(value=family.id, label=family.name)
                        for family in families
                    ],
                    mode=SelectSelectorMode.LIST,
                )
            )
        }
    )


def _maintenance_schema(*, include_optional: bool) -> vol.Schema:
    schema: dict[vol.Marker, Any] = {}
    for task, (date_key, interval_key) in TASK_DATE_KEYS.items():
        low, high = MAINTENANCE_INT_RANGES[interval_key]
        optional = TASK_SPECS[task].optional
        if optional and not include_optional:
            continue
        if optional:
            schema[vol.Optional(interval_key)] = _number(0, high, "d")
            schema[vol.Optional(date_key)] = DateSelector()
        else:
            schema[vol.Required(date_key)] = DateSelector()
            schema[vol.Required(interval_key)] = _number(low, high, "d")
    if include_optional:
        key = "filter_runtime_hours"
        low, high = MAINTENANCE_INT_RANGES[key]
        schema[vol.Required(key)] = _number(low, high, "h")
    return vol.Schema(schema)


def _reset_schema() -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(key): _number(low, high, unit)
            for key, (low, high, unit) in RESET_INT_RANGES.items()
        }
    )


def _custom_codes_schema() -> vol.Schema:
    return vol.Schema(
        {
            vol.Optional(CONF_CUSTOM_CODES, default=""): TextSelector(
                TextSelectorConfig(multiline=True)
            )
        }
    )


def _entity_exists(hass: HomeAssistant, entity_id: str) -> bool:
    return (
        hass.states.get(entity_id) is not None
        or er.async_get(hass).async_get(entity_id) is not None
    )


def validate_device(
    hass: HomeAssistant,
    user_input: Mapping[str, Any],
    *,
    exclude_entry_id: str | None,
) -> dict[str, str]:
    """Return form errors for the device fields."""
    errors: dict[str, str] = {}
    if CONF_NAME in user_input:
        name = str(user_input[CONF_NAME]).strip()
        if not name:
            errors[CONF_NAME] = "name_empty"
        elif any(
            entry.title.strip().casefold() == name.casefold()
            for entry in hass.config_entries.async_entries(DOMAIN)
            if entry.entry_id != exclude_entry_id
        ):
            errors[CONF_NAME] = "name_exists"
    for key in DEVICE_ENTITY_KEYS:
        if (entity_id := user_input.get(key)) and not _entity_exists(hass, entity_id):
            errors[key] = "entity_not_found"
    switch = user_input.get(CONF_POWER_SWITCH)
    if (
        switch
        and CONF_POWER_SWITCH not in errors
        and any(
            entry.options.get(CONF_POWER_SWITCH) == switch
            for entry in hass.config_entries.async_entries(DOMAIN)
            if entry.entry_id != exclude_entry_id
        )
    ):
        # Two heat pumps cutting the same breaker would fight over it.
        errors[CONF_POWER_SWITCH] = "power_switch_in_use"
    if (
        exclude_entry_id is not None
        and CONF_POWER_SWITCH not in errors
        and (entry := hass.config_entries.async_get_entry(exclude_entry_id)) is not None
        and entry.state is ConfigEntryState.LOADED
        and entry.runtime_data.reset_state.phase in ACTIVE_PHASES
        and switch != entry.options.get(CONF_POWER_SWITCH)
    ):
        # The running reset must give power back through the switch it cut.
        errors[CONF_POWER_SWITCH] = "reset_running"
    return errors


def validate_numbers(
    user_input: Mapping[str, Any], ranges: Mapping[str, tuple[int, int]]
) -> dict[str, str]:
    """Return form errors for numbers outside their range or not whole."""
    errors: dict[str, str] = {}
    for key, (low, high) in ranges.items():
        if key not in user_input:
            continue
        value = user_input[key]
        if value != int(value) or not low <= value <= high:
            errors[key] = "out_of_range"
    return errors


def validate_maintenance(user_input: Mapping[str, Any], today: date) -> dict[str, str]:
    """Return form errors for maintenance dates and intervals."""
    errors: dict[str, str] = {}
    for task, (date_key, interval_key) in TASK_DATE_KEYS.items():
        value = user_input.get(date_key)
        if value and date.fromisoformat(value) > today:
            errors[date_key] = "date_in_future"
        interval = user_input.get(interval_key)
        low, high = MAINTENANCE_INT_RANGES[interval_key]
        if interval is None:
            continue
        if TASK_SPECS[task].optional and interval == 0:
            continue
        if interval != int(interval) or not low <= interval <= high:
            errors[interval_key] = "out_of_range"
    errors.update(
        validate_numbers(
            user_input,
            {"filter_runtime_hours": MAINTENANCE_INT_RANGES["filter_runtime_hours"]},
        )
    )
    return errors


def _clean(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty optional values and turn whole floats into ints."""
    cleaned: dict[str, Any] = {}
    for key, raw in user_input.items():
        if raw is None or raw == "":
            continue
        value = raw
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and key in (CONF_NAME, CONF_MODEL):
            value = value.strip()
        cleaned[key] = value
    return cleaned


class HeatPumpCareConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up one heat pump."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing collected."""
        self._collected: dict[str, Any] = {}

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
            errors = validate_device(self.hass, user_input, exclude_entry_id=None)
            if not errors:
                self._collected = _clean(user_input)
                if _has_families(catalog, self._collected[CONF_BRAND]):
                    return await self.async_step_family()
                return await self.async_step_maintenance()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                _device_schema(catalog), user_input or {}
            ),
            errors=errors,
        )

    async def async_step_family(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the product line, where codes differ per line."""
        catalog = await async_get_catalog(self.hass)
        brand = self._collected[CONF_BRAND]
        if user_input is not None:
            self._collected.update(_clean(user_input))
            return await self.async_step_maintenance()
        return self.async_show_form(
            step_id="family",
            data_schema=_family_schema(catalog, brand),
            description_placeholders={"brand": catalog.brands[brand].name},
        )

    async def async_step_maintenance(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Record when the filter and the service were last done."""
        today = dt_util.now().date()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_maintenance(user_input, today)
            if not errors:
                options = default_options(today)
                options.update(self._collected)
                options.update(_clean(user_input))
                return self.async_create_entry(
                    title=options[CONF_NAME], data={}, options=options
                )
        suggested = user_input or default_options(today)
        return self.async_show_form(
            step_id="maintenance",
            data_schema=self.add_suggested_values_to_schema(
                _maintenance_schema(include_optional=False), suggested
            ),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the heat pump's name, brand, model and entities."""
        entry = self._get_reconfigure_entry()
        catalog = await async_get_catalog(self.hass)
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_device(
                self.hass, user_input, exclude_entry_id=entry.entry_id
            )
            if not errors:
                options = _merge_device(entry.options, user_input)
                self._collected = options
                if _has_families(catalog, options[CONF_BRAND]):
                    return await self.async_step_reconfigure_family()
                return self.async_update_reload_and_abort(
                    entry, title=options[CONF_NAME], options=options
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _device_schema(catalog), user_input or dict(entry.options)
            ),
            errors=errors,
        )

    async def async_step_reconfigure_family(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the product line after a reconfigure."""
        entry = self._get_reconfigure_entry()
        catalog = await async_get_catalog(self.hass)
        brand = self._collected[CONF_BRAND]
        if user_input is not None:
            options = dict(self._collected)
            options.pop(CONF_FAMILY, None)
            options.update(_clean(user_input))
            return self.async_update_reload_and_abort(
                entry, title=options[CONF_NAME], options=options
            )
        return self.async_show_form(
            step_id="reconfigure_family",
            data_schema=self.add_suggested_values_to_schema(
                _family_schema(catalog, brand), self._collected
            ),
            description_placeholders={"brand": catalog.brands[brand].name},
        )


def _has_families(catalog: Catalog, brand: str) -> bool:
    return brand in catalog.brands and len(catalog.brands[brand].families) > 1


def _merge_device(
    current: Mapping[str, Any], user_input: Mapping[str, Any]
) -> dict[str, Any]:
    """Replace the device fields of ``current`` with ``user_input``.

    Optional fields left empty are removed, and the family is dropped when
    the brand changes.
    """
    options = dict(current)
    for key in (CONF_MODEL, *DEVICE_ENTITY_KEYS):
        options.pop(key, None)
    if user_input.get(CONF_BRAND) != current.get(CONF_BRAND):
        options.pop(CONF_FAMILY, None)
    options.update(_clean(user_input))
    return options


class OptionsFlowHandler(OptionsFlowWithReload):
    """Edit a heat pump's settings; the entry reloads on change."""

    def __init__(self) -> None:
        """Start with nothing collected."""
        self._pending: dict[str, Any] = {}

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer the groups of settings."""
        return self.async_show_menu(
            step_id="init",
            menu_options=["device", "maintenance", "safe_reset", "error_codes"],
        )

    async def async_step_device(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the heat pump, its brand and its entities."""
        catalog = await async_get_catalog(self.hass)
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_device(
                self.hass, user_input, exclude_entry_id=self.config_entry.entry_id
            )
            if not errors:
                options = _merge_device(self.config_entry.options, user_input)
                if _has_families(catalog, options[CONF_BRAND]):
                    self._pending = options
                    return await self.async_step_family()
                return self._save(options)
        return self.async_show_form(
            step_id="device",
            data_schema=self.add_suggested_values_to_schema(
                _device_schema(catalog), user_input or dict(self.config_entry.options)
            ),
            errors=errors,
        )

    async def async_step_family(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the product line."""
        catalog = await async_get_catalog(self.hass)
        brand = self._pending[CONF_BRAND]
        if user_input is not None:
            options = dict(self._pending)
            options.pop(CONF_FAMILY, None)
            options.update(_clean(user_input))
            return self._save(options)
        return self.async_show_form(
            step_id="family",
            data_schema=self.add_suggested_values_to_schema(
                _family_schema(catalog, brand), self._pending
            ),
            description_placeholders={"brand": catalog.brands[brand].name},
        )

    async def async_step_maintenance(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit maintenance dates, intervals and the runtime limit."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_maintenance(user_input, dt_util.now().date())
            if not errors:
                options = dict(self.config_entry.options)
                for date_key, interval_key in TASK_DATE_KEYS.values():
                    options.pop(date_key, None)
                    options.pop(interval_key, None)
                options.update(_clean(user_input))
                today = dt_util.now().date().isoformat()
                for date_key, interval_key in TASK_DATE_KEYS.values():
                    # A task switched on without a date starts today; the
                    # date is stored so it does not move on each reload.
                    if options.get(interval_key) and date_key not in options:
                        options[date_key] = today
                return self._save(options)
        return self.async_show_form(
            step_id="maintenance",
            data_schema=self.add_suggested_values_to_schema(
                _maintenance_schema(include_optional=True),
                user_input or dict(self.config_entry.options),
            ),
            errors=errors,
        )

    async def async_step_safe_reset(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the safe reset's timings and limits."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_numbers(
                user_input,
                {key: (low, high) for key, (low, high, _) in RESET_INT_RANGES.items()},
            )
            if not errors:
                return self._save({**self.config_entry.options, **_clean(user_input)})
        return self.async_show_form(
            step_id="safe_reset",
            data_schema=self.add_suggested_values_to_schema(
                _reset_schema(), user_input or dict(self.config_entry.options)
            ),
            errors=errors,
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
                _custom_codes_schema(), user_input or dict(self.config_entry.options)
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    def _save(self, options: dict[str, Any]) -> ConfigFlowResult:
        """Store the options, renaming the entry when the name changed."""
        if (name := options.get(CONF_NAME)) and name != self.config_entry.title:
            self.hass.config_entries.async_update_entry(self.config_entry, title=name)
        return self.async_create_entry(data=options)
