"""The services: code lookup and search, and their validation."""

from __future__ import annotations

from pathlib import Path
import threading
from typing import Any
from unittest.mock import patch

import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.selector import selector
from homeassistant.util.yaml import load_yaml_dict

from custom_components.heat_pump_care.catalog import Catalog

from .common import DOMAIN, ERROR_CODE, FakeThermostat, service_response as call

SERVICES_YAML = (
    Path(__file__).parents[2] / "custom_components" / DOMAIN / "services.yaml"
)
U4_MEANING = "Signal transmission error between indoor and outdoor units"


async def add_entry(
    hass: HomeAssistant, name: str, entry_id: str, **options: Any
) -> MockConfigEntry:
    """Set up one more heat pump."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=name,
        options={"name": name, **options},
        entry_id=entry_id,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


# ------------------------------------------------------------------ lookup


@pytest.mark.parametrize("code", ["U4", "u4", " u-4 "])
async def test_lookup_by_brand(
    hass: HomeAssistant, init_integration: MockConfigEntry, code: str
) -> None:
    """A known code returns its meaning, category and advice."""
    response = await call(hass, "lookup_error_code", code=code, brand="daikin")

    assert response["found"] is True
    assert response["brand"] == "daikin"
    assert response["code"] == "U4"
    assert response["meaning"] == U4_MEANING
    assert response["category"] == "communication"
    assert response["severity"] == "error"
    assert response["reset_may_help"] is True
    assert "safe reset" in response["advice"]
    # The heat pump's own product line is not known here: residential first.
    assert response["matches"][0]["family"] == "residential"


async def test_lookup_keeps_sub_code(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A sub-code is matched through its base code and reported back."""
    response = await call(hass, "lookup_error_code", code="U4-01", brand="daikin")

    assert response["found"] is True
    assert response["code"] == "U4-01"
    assert response["sub_code"] == "01"
    assert response["meaning"] == U4_MEANING


async def test_lookup_other_brand_than_the_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An explicit brand wins over the brand of the named heat pump."""
    by_entry = await call(
        hass,
        "lookup_error_code",
        code="CH05",
        config_entry_id=init_integration.entry_id,
    )
    by_brand = await call(
        hass,
        "lookup_error_code",
        code="CH05",
        brand="lg",
        config_entry_id=init_integration.entry_id,
    )

    assert by_entry["brand"] == "daikin"
    assert by_brand["brand"] == "lg"
    assert by_brand["found"] is True
    assert by_brand["code"] == "CH05"
    assert all(match["brand"] == "lg" for match in by_brand["matches"])


@pytest.mark.parametrize("family", ["vrv", "altherma", "residential"])
async def test_lookup_by_entry_puts_its_family_first(
    hass: HomeAssistant, devices: FakeThermostat, family: str
) -> None:
    """A code several product lines share answers with the unit's line first."""
    entry = await add_entry(
        hass, "Attic heat pump", "01JATTIC", brand="daikin", family=family
    )

    response = await call(
        hass, "lookup_error_code", code="J3", config_entry_id=entry.entry_id
    )

    assert response["found"] is True
    assert response["family"] == family
    families = [match["family"] for match in response["matches"]]
    assert families[0] == family
    assert sorted(families) == ["altherma", "residential", "vrv"]
    assert response["meaning"] == response["matches"][0]["meaning"]


async def test_lookup_unknown_code(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An unknown code is an answer, not an error, with look-alike suggestions."""
    response = await call(hass, "lookup_error_code", code="UZ", brand="daikin")

    assert response["found"] is False
    assert response["code"] == "UZ"
    assert response["matches"] == []
    assert response["meaning"] == ""
    assert response["category"] == "other"
    assert response["severity"] == "error"
    assert response["reset_may_help"] is None
    assert response["advice"]
    assert response["suggestions"]
    assert "U4" in response["suggestions"]
    assert "UZ" not in response["suggestions"]


async def test_lookup_unknown_brand(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An unknown brand is a translated validation error naming known brands."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "lookup_error_code", code="U4", brand="acme")

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "unknown_brand"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["brand"] == "acme"
    known = err.value.translation_placeholders["brands"].split(", ")
    assert {"daikin", "lg", "mitsubishi_electric", "samsung"} <= set(known)
    assert str(err.value).startswith('Unknown brand "acme". Known brands: ')
    assert "daikin" in str(err.value)


async def test_lookup_needs_brand_or_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without a brand and a heat pump there is nothing to look the code up in."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "lookup_error_code", code="U4")

    assert err.value.translation_key == "brand_required"
    assert "brand" in str(err.value)


async def test_lookup_brand_other_finds_only_custom(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Brand ``other``: not found, but lists what catalogue brands call the code."""
    response = await call(hass, "lookup_error_code", code="U4", brand="other")

    assert response["found"] is False
    assert response["brand"] == "other"
    assert "daikin" in {match["brand"] for match in response["matches"]}


# ------------------------------------------------------------------ search


async def test_search_defrost(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A word search finds codes of several brands that mention it."""
    response = await call(hass, "search_error_codes", query="defrost")

    results = response["results"]
    assert results
    assert len(results) <= 20
    assert len({row["brand"] for row in results}) > 1
    for row in results:
        assert {"brand", "family", "code", "meaning", "category"} <= set(row)
        text = f"{row['code']} {row['meaning']} {row['category']} {row['advice']}"
        assert "defrost" in text.casefold()


async def test_search_brand_filter_and_limit(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A brand restricts the results; the limit caps them."""
    everything = await call(hass, "search_error_codes", query="sensor", limit=100)
    daikin = await call(
        hass, "search_error_codes", query="sensor", brand="daikin", limit=100
    )
    three = await call(hass, "search_error_codes", query="sensor", limit=3)

    assert daikin["results"]
    assert {row["brand"] for row in daikin["results"]} == {"daikin"}
    assert len(everything["results"]) > len(daikin["results"])
    assert three["results"] == everything["results"][:3]


async def test_search_exact_code_first(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Searching a code ranks that code's rows (one per product line) first."""
    response = await call(hass, "search_error_codes", query="U4", brand="daikin")

    first = response["results"][:2]
    assert [row["code"] for row in first] == ["U4", "U4"]
    assert U4_MEANING in {row["meaning"] for row in first}


async def test_search_puts_the_heat_pumps_brand_first(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """With a heat pump named, its brand's codes lead even for a general word."""
    everything = await call(hass, "search_error_codes", query="defrost", limit=100)
    mine = await call(
        hass,
        "search_error_codes",
        query="defrost",
        limit=100,
        config_entry_id=init_integration.entry_id,
    )

    assert everything["results"][0]["brand"] != "daikin"
    daikin = [row for row in everything["results"] if row["brand"] == "daikin"]
    assert daikin
    assert mine["results"][: len(daikin)] == daikin
    assert len(mine["results"]) == len(everything["results"])


async def test_search_puts_the_heat_pumps_product_line_first(
    hass: HomeAssistant, devices: FakeThermostat
) -> None:
    """A Daikin residential split sees the residential U4 before the VRV one."""
    entry = await add_entry(
        hass, "Office", "office", brand="daikin", family="residential"
    )
    anyone = await call(hass, "search_error_codes", query="U4")
    mine = await call(
        hass, "search_error_codes", query="U4", config_entry_id=entry.entry_id
    )

    assert anyone["results"][0]["family"] != "residential"
    assert [(row["family"], row["code"]) for row in mine["results"][:2]] == [
        ("residential", "U4"),
        ("vrv", "U4"),
    ]
    assert mine["results"][0]["meaning"] == U4_MEANING


async def test_search_with_unknown_heat_pump(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError):
        await call(hass, "search_error_codes", query="defrost", config_entry_id="nope")


async def test_search_nothing_found(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A query that matches nothing returns an empty list."""
    response = await call(hass, "search_error_codes", query="xyzzyplugh")

    assert response == {"results": []}


@pytest.mark.parametrize("limit", [0, 101, 2.5, -1])
async def test_search_limit_out_of_bounds(
    hass: HomeAssistant, init_integration: MockConfigEntry, limit: float
) -> None:
    """A limit outside 1..100 or not whole is refused by the schema."""
    with pytest.raises(vol.Invalid):
        await call(hass, "search_error_codes", query="defrost", limit=limit)


async def test_search_unknown_brand(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Searching an unknown brand names the known ones."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "search_error_codes", query="defrost", brand="acme")

    assert err.value.translation_key == "unknown_brand"
    assert "daikin" in str(err.value)


# ------------------------------------------------------ entry-based services


ENTRY_SERVICES: list[tuple[str, dict[str, Any]]] = [
    ("mark_maintenance_done", {"task": "filter"}),
    ("start_safe_reset", {}),
    ("cancel_safe_reset", {}),
    ("lookup_error_code", {"code": "U4"}),
]
RESPONSE_ONLY = {"lookup_error_code"}


@pytest.mark.parametrize(("service", "data"), ENTRY_SERVICES)
async def test_entry_not_found(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    """An id that is not a heat pump is a translated validation error."""
    other = MockConfigEntry(domain="input_boolean", entry_id="01JNOTAHEATPUMP")
    other.add_to_hass(hass)
    for entry_id in ("does_not_exist", other.entry_id):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                DOMAIN,
                service,
                {"config_entry_id": entry_id, **data},
                blocking=True,
                return_response=service in RESPONSE_ONLY,
            )
        assert err.value.translation_domain == "homeassistant"
        assert err.value.translation_key in (
            "service_config_entry_not_found",
            "service_config_entry_wrong_domain",
        )


@pytest.mark.parametrize(("service", "data"), ENTRY_SERVICES)
async def test_entry_not_loaded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    service: str,
    data: dict[str, Any],
) -> None:
    """A heat pump that is not loaded is a translated validation error."""
    entry = init_integration
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    stored_before = hass_storage[f"{DOMAIN}.{entry.entry_id}"]

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            service,
            {"config_entry_id": entry.entry_id, **data},
            blocking=True,
            return_response=service in RESPONSE_ONLY,
        )

    assert err.value.translation_domain == "homeassistant"
    assert err.value.translation_key == "service_config_entry_not_loaded"
    assert err.value.translation_placeholders["entry_title"] == "Living room heat pump"
    assert hass_storage[f"{DOMAIN}.{entry.entry_id}"] == stored_before
    relay = hass.states.get("input_boolean.breaker")
    assert relay is not None
    assert relay.state == "on"


# ---------------------------------------------------------- the catalogue


async def test_catalog_loaded_once_off_the_loop(
    hass: HomeAssistant, devices: FakeThermostat, mock_config_entry: MockConfigEntry
) -> None:
    """Several heat pumps and services share one catalogue read in the executor."""
    original = Catalog.load
    threads: list[threading.Thread] = []

    def counting_load(*args: Any, **kwargs: Any) -> Catalog:
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    # A plain function: the harness would run a Mock inline on the loop.
    with patch.object(Catalog, "load", counting_load):
        mock_config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await add_entry(
            hass,
            "Attic heat pump",
            "01JATTIC",
            brand="mitsubishi_electric",
            error_code_entity=ERROR_CODE,
        )
        await add_entry(hass, "Garage heat pump", "01JGARAGE", brand="other")
        lookup = await call(hass, "lookup_error_code", code="U4", brand="daikin")
        search = await call(hass, "search_error_codes", query="defrost")

    assert lookup["found"] is True
    assert search["results"]
    assert len(threads) == 1
    assert threads[0] is not threading.main_thread()
    assert threads[0].ident != hass.loop_thread_id
    assert len(hass.config_entries.async_loaded_entries(DOMAIN)) == 3


# ------------------------------------------------------------ action UI


@pytest.mark.parametrize("service", ["lookup_error_code", "search_error_codes"])
def test_brand_is_chosen_from_a_list(service: str) -> None:
    """The action UI offers every catalogue brand by name, and no free text."""
    catalog = Catalog.load()
    services = load_yaml_dict(str(SERVICES_YAML))
    select = services[service]["fields"]["brand"]["selector"]["select"]

    assert not select.get("custom_value", False)
    assert select["translation_key"] == "brand"
    options = {option["value"]: option["label"] for option in select["options"]}
    assert options == {
        **{slug: brand.name for slug, brand in catalog.brands.items()},
        "other": "Other / not listed",
    }
    selector({"select": select})  # a valid Home Assistant selector


def test_search_takes_a_heat_pump_in_the_action_ui() -> None:
    services = load_yaml_dict(str(SERVICES_YAML))
    field = services["search_error_codes"]["fields"]["config_entry_id"]

    assert field["selector"] == {"config_entry": {"integration": DOMAIN}}
    assert field["required"] is False
