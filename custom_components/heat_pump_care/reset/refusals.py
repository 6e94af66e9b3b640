"""Why a safe reset may not start, and the reason keys of its outcomes.

The order of the checks is the order in which they win; a refusal's
``reason`` is a translation key of the shell.
"""

from __future__ import annotations

from datetime import datetime

from custom_components.heat_pump_care.catalog.models import HARMFUL_RESET_CATEGORIES

from .events import Start
from .model import ROLLING_WINDOW, ResetSettings, ResetState, code_key

# Reason keys (``ResetState.reason``; also the refusal keys of ``ResetRefused``).
REASON_RELAY_NOT_OFF = "relay_not_off"
REASON_POWER_NOT_RESTORED = "power_not_restored"
REASON_POWER_RESTORED_LATE = "power_restored_late"
REASON_POWER_RESTORED_EXTERNALLY = "power_restored_externally"
REASON_THERMOSTAT_NOT_RESTORED = "thermostat_not_restored"
REASON_CANCELLED = "cancelled"
REASON_INTERRUPTED = "interrupted"
REASON_ENTRY_REMOVED = "entry_removed"

REFUSE_NO_POWER_SWITCH = "no_power_switch"
REFUSE_SWITCH_UNAVAILABLE = "switch_unavailable"
REFUSE_SWITCH_OFF = "switch_off"
REFUSE_ALREADY_RUNNING = "already_running"
REFUSE_LIMIT_REACHED = "limit_reached"
REFUSE_HARMFUL_CODE = "harmful_code"
REFUSE_FAULT_UNACKNOWLEDGED = "fault_unacknowledged"

ISSUE_POWER_NOT_RESTORED = "power_not_restored"
ISSUE_FAULT_RETURNED = "fault_returned"


class ResetRefused(Exception):  # noqa: N818 - name fixed by the interface
    """A reset cannot start; ``reason`` is a translation key.

    ``allowed_at`` is the first moment the same request would pass, when
    only time lifts the refusal (the daily limit); ``None`` otherwise.
    """

    def __init__(
        self,
        reason: str,
        placeholders: dict[str, str] | None = None,
        *,
        allowed_at: datetime | None = None,
    ) -> None:
        """Store the reason key, its translation placeholders and the time."""
        super().__init__(reason)
        self.reason = reason
        self.placeholders: dict[str, str] = placeholders or {}
        self.allowed_at = allowed_at


def start_refusal(
    state: ResetState, event: Start, settings: ResetSettings
) -> ResetRefused | None:
    """Return why ``event`` must not start a reset, or ``None`` when it may.

    Checked in this order: no power switch, a reset already running, switch
    unavailable, switch already off, the active code returned after an
    earlier reset and is not acknowledged (``force`` does not help), the
    active code's category is harmful (``force`` overrides), the rolling
    24-hour limit (``force`` does not help). ``reset_may_help`` does not
    override a harmful category.
    """
    if not event.has_power_switch:
        return ResetRefused(REFUSE_NO_POWER_SWITCH)
    if state.running:
        return ResetRefused(REFUSE_ALREADY_RUNNING)
    if event.relay_on is None:
        return ResetRefused(REFUSE_SWITCH_UNAVAILABLE)
    if not event.relay_on:
        return ResetRefused(REFUSE_SWITCH_OFF)
    code = code_key(event.error_code)
    shown = (event.error_code or "").strip()
    if code is not None and code in state.blocked_codes:
        return ResetRefused(REFUSE_FAULT_UNACKNOWLEDGED, {"code": shown})
    category = event.error_category
    if (
        not event.force
        and category is not None
        and category in HARMFUL_RESET_CATEGORIES
    ):
        return ResetRefused(REFUSE_HARMFUL_CODE, {"code": shown, "category": category})
    allowed_at = limit_lifts_at(state, event.now, settings)
    if allowed_at is not None:
        return ResetRefused(
            REFUSE_LIMIT_REACHED,
            {"limit": str(settings.max_resets_per_day)},
            allowed_at=allowed_at,
        )
    return None


def check_start(state: ResetState, event: Start, settings: ResetSettings) -> None:
    """Raise the ``ResetRefused`` of ``start_refusal``, if any."""
    refusal = start_refusal(state, event, settings)
    if refusal is not None:
        raise refusal


def limit_lifts_at(
    state: ResetState, now: datetime, settings: ResetSettings
) -> datetime | None:
    """Return when the daily limit allows a reset again; ``None``: it does now.

    That is 24 hours after the start of the oldest counted reset that must
    leave the rolling window to bring the count below the limit.
    """
    starts = state.counted_starts(now)
    excess = len(starts) - settings.max_resets_per_day
    if excess < 0:
        return None
    return starts[excess] + ROLLING_WINDOW


#: Error categories where a power cycle does not help and may cause harm
#: (the catalogue's one definition).
HARMFUL_CATEGORIES = HARMFUL_RESET_CATEGORIES
