"""Buttons: mark maintenance done, start and cancel the safe reset."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator
from .entity import HeatPumpCareActionEntity, entities_for, task_entity
from .maintenance import TASK_SPECS
from .models import HeatPumpCareConfigEntry
from .options import Settings

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class HeatPumpButtonDescription(ButtonEntityDescription):
    """Describes a Heat Pump Care button."""

    press_fn: Callable[[HeatPumpCareCoordinator], Awaitable[None]]
    exists_fn: Callable[[Settings], bool] = lambda _: True
    admin_only: bool = False


def _task_done(
    task: str, names: Mapping[str, str] | None = None
) -> HeatPumpButtonDescription:
    return HeatPumpButtonDescription(
        **task_entity(task, 2, names).describe(),
        press_fn=lambda coordinator: coordinator.maintenance.async_mark_done(
            task, None, "button"
        ),
        exists_fn=lambda settings: task in settings.maintenance.intervals,
    )


BUTTONS: tuple[HeatPumpButtonDescription, ...] = (
    *(_task_done(task) for task in TASK_SPECS),
    HeatPumpButtonDescription(
        key="safe_reset",
        translation_key="safe_reset",
        press_fn=lambda coordinator: coordinator.reset.async_start(
            coordinator.fault.status
        ),
        exists_fn=lambda settings: settings.power_switch is not None,
        admin_only=True,
    ),
    HeatPumpButtonDescription(
        key="cancel_reset",
        translation_key="cancel_reset",
        press_fn=lambda coordinator: coordinator.reset.async_cancel(),
        exists_fn=lambda settings: settings.power_switch is not None,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons this heat pump's settings call for."""
    async_add_entities(
        entities_for(entry.runtime_data, BUTTONS, HeatPumpCareButton, _task_done)
    )


class HeatPumpCareButton(HeatPumpCareActionEntity, ButtonEntity):
    """A button acting on the heat pump."""

    entity_description: HeatPumpButtonDescription
    _press_user_id: str | None = None

    @callback
    def async_set_context(self, context: Context) -> None:
        """Remember who presses: Home Assistant sets the caller's context first."""
        super().async_set_context(context)
        self._press_user_id = context.user_id

    async def async_press(self) -> None:
        """Press; the safe reset is for administrators (automations may run it)."""
        if self.entity_description.admin_only and self._press_user_id:
            user = await self.hass.auth.async_get_user(self._press_user_id)
            if user is not None and not user.is_admin:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="admin_required",
                )
        await self.entity_description.press_fn(self.coordinator)
