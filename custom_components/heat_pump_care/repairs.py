"""Fix flows for Heat Pump Care's repair issues."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.repairs import (
    ConfirmRepairFlow,
    RepairsFlow,
    RepairsFlowResult,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir, service
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator

#: "Remind me later" in an overdue task's repair: a week.
REMIND_LATER = timedelta(days=7)


class _EntryRepairFlow(RepairsFlow):
    """A confirm step that acts on one loaded heat pump."""

    def __init__(
        self, issue_id: str, data: dict[str, str | int | float | None]
    ) -> None:
        self._issue_id = issue_id
        self._data = data

    def _coordinator(self) -> HeatPumpCareCoordinator | None:
        try:
            entry = service.async_get_config_entry(
                self.hass, DOMAIN, str(self._data.get("entry_id"))
            )
        except ServiceValidationError:
            return None
        coordinator: HeatPumpCareCoordinator = entry.runtime_data
        return coordinator

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Ask for confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Act once confirmed."""
        if user_input is None:
            return self.async_show_form(
                step_id="confirm",
                description_placeholders=self._placeholders(),
            )
        coordinator = self._coordinator()
        if coordinator is None:
            return self.async_abort(reason="entry_not_loaded")
        try:
            await self._async_act(coordinator)
        except HomeAssistantError as err:
            return self.async_abort(
                reason="action_failed", description_placeholders={"error": str(err)}
            )
        return self.async_create_entry(data={})

    def _placeholders(self) -> dict[str, str]:
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self._issue_id)
        return dict(issue.translation_placeholders or {}) if issue else {}

    async def _async_act(self, coordinator: HeatPumpCareCoordinator) -> None:
        raise NotImplementedError


class MarkTaskDoneFlow(_EntryRepairFlow):
    """An overdue task: done today, or remind me in a week (a snooze)."""

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Offer "done" and "remind me in 7 days"."""
        return self.async_show_menu(
            step_id="init",
            menu_options=["confirm", "snooze"],
            description_placeholders=self._placeholders(),
        )

    async def async_step_snooze(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Move the due date a week ahead: the repair goes until then."""
        coordinator = self._coordinator()
        if coordinator is None:
            return self.async_abort(reason="entry_not_loaded")
        try:
            await coordinator.maintenance.async_snooze(
                str(self._data["task"]), dt_util.now().date() + REMIND_LATER
            )
        except HomeAssistantError as err:
            return self.async_abort(
                reason="action_failed", description_placeholders={"error": str(err)}
            )
        return self.async_create_entry(data={})

    async def _async_act(self, coordinator: HeatPumpCareCoordinator) -> None:
        await coordinator.maintenance.async_mark_done(
            str(self._data["task"]), None, "repair"
        )


class StartSafeResetFlow(_EntryRepairFlow):
    """A fault a power cycle may clear: offer the safe reset the guards allow.

    The reset core's guards are asked first (and again on confirming): when
    a reset would be refused, the flow says why and when instead of offering
    it.
    """

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Say why no reset is possible now, or ask for confirmation."""
        if self._coordinator() is None:
            return self.async_abort(reason="entry_not_loaded")
        if (refused := await self._async_refused()) is not None:
            return refused
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Start the reset once confirmed, unless the guards refuse it by now."""
        if (
            user_input is not None
            and (refused := await self._async_refused()) is not None
        ):
            return refused
        return await super().async_step_confirm(user_input)

    async def _async_refused(self) -> RepairsFlowResult | None:
        coordinator = self._coordinator()
        if coordinator is None:
            return None
        refusal = coordinator.reset.refusal(coordinator.fault.status)
        if refusal is None:
            return None
        return self.async_abort(
            reason="reset_not_allowed",
            description_placeholders={
                **self._placeholders(),
                "reason": await coordinator.reset.async_explain(refusal),
            },
        )

    def _placeholders(self) -> dict[str, str]:
        placeholders = super()._placeholders()
        if (coordinator := self._coordinator()) is not None:
            placeholders["off_minutes"] = str(coordinator.settings.reset_off_minutes)
        return placeholders

    async def _async_act(self, coordinator: HeatPumpCareCoordinator) -> None:
        await coordinator.reset.async_start(coordinator.fault.status)


class AcknowledgeFaultFlow(_EntryRepairFlow):
    """A fault came back after a reset: the user will call a technician."""

    async def _async_act(self, coordinator: HeatPumpCareCoordinator) -> None:
        await coordinator.reset.async_acknowledge(str(self._data["code"]))
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)


async def async_create_fix_flow(
    hass: HomeAssistant,
    issue_id: str,
    data: dict[str, str | int | float | None] | None,
) -> RepairsFlow:
    """Return the fix flow of an issue."""
    kind = (data or {}).get("kind")
    if data and kind == "task_overdue":
        return MarkTaskDoneFlow(issue_id, data)
    if data and kind == "fault":
        return StartSafeResetFlow(issue_id, data)
    if data and kind == "fault_returned":
        return AcknowledgeFaultFlow(issue_id, data)
    return ConfirmRepairFlow()
