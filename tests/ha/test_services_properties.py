"""Any payload to any service: a clear, translated refusal or success; never a crash.

Hypothesis throws random payloads at every service of the integration.  A
call either succeeds, is refused by its schema, or raises a translated
``ServiceValidationError``; a refused call stores nothing.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import probatio as vol
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .common import DOMAIN, ENTRY_ID

STORAGE_KEY = f"{DOMAIN}.{ENTRY_ID}"
SERVICES = {
    "mark_maintenance_done": False,
    "start_safe_reset": False,
    "cancel_safe_reset": False,
    "lookup_error_code": True,
    "search_error_codes": True,
    "snooze_maintenance": False,
    "get_maintenance_history": True,
}
FIELDS = st.sampled_from(
    [
        "config_entry_id",
        "task",
        "date",
        "off_minutes",
        "force",
        "code",
        "brand",
        "query",
        "limit",
        "note",
        "days",
        "until",
        "unexpected",
    ]
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates().map(str),
    st.lists(st.integers(), max_size=3),
    st.sampled_from(
        [
            ENTRY_ID,
            "nope",
            "filter",
            "service",
            "outdoor_unit",
            "U4",
            "daikin",
            "other",
            "x" * 501,
        ]
    ),
)
PAYLOADS = st.dictionaries(FIELDS, VALUES, max_size=5)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(service=st.sampled_from(sorted(SERVICES)), payload=PAYLOADS)
async def test_any_payload_is_answered_or_refused_cleanly(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    service: str,
    payload: dict[str, Any],
) -> None:
    """Only schema errors or translated validation errors; refusals store nothing."""
    before = copy.deepcopy(hass_storage.get(STORAGE_KEY))
    refusal: Exception | None = None
    try:
        await hass.services.async_call(
            DOMAIN,
            service,
            payload,
            blocking=True,
            return_response=SERVICES[service],
        )
    except (vol.Invalid, ServiceValidationError) as err:
        refusal = err
    await hass.async_block_till_done()
    if refusal is None:
        return
    assert hass_storage.get(STORAGE_KEY) == before
    if isinstance(refusal, ServiceValidationError):
        assert refusal.translation_domain in (DOMAIN, "homeassistant")
        assert refusal.translation_key
