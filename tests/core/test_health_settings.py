"""Health thresholds: defaults from the published figures, ranges, validation."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.heat_pump_care.health import HEALTH_RANGES, HealthSettings


def test_defaults_are_the_published_figures() -> None:
    settings = HealthSettings()
    # Hitachi fleet rule: >= 6 starts in 60 min, median period <= 15 min, 3 days.
    assert settings.short_cycle_starts == 6
    assert settings.short_cycle_period_minutes == 15
    assert settings.short_cycle_repair_days == 3
    assert settings.short_cycle_clear_starts == 3
    assert settings.not_keeping_up_hours == 3.0
    assert settings.not_keeping_up_gap == 1.0
    # UK/EU degree-day statistics use a 15.5 °C base.
    assert settings.degree_day_base == 15.5
    # Hitachi refrigerant-drift detector learns over about 14 heating days.
    assert settings.baseline_days == 14
    # DOE: a neglected heat pump uses 10-25 % more energy.
    assert settings.efficiency_drop_percent == 25
    assert settings.efficiency_drop_days == 3
    assert settings.frequent_resets == 3


def test_every_field_has_a_range_that_holds_its_default() -> None:
    settings = HealthSettings()
    names = {item.name for item in fields(HealthSettings)}
    assert set(HEALTH_RANGES) == names
    for name, (low, high) in HEALTH_RANGES.items():
        assert low < high
        assert low <= getattr(settings, name) <= high


def test_ranges_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        HEALTH_RANGES["short_cycle_starts"] = (1, 2)  # type: ignore[index]


@pytest.mark.parametrize("name", sorted(HEALTH_RANGES))
def test_a_value_below_the_range_is_refused(name: str) -> None:
    low, _ = HEALTH_RANGES[name]
    below = low - 1 if isinstance(getattr(HealthSettings(), name), int) else low - 0.1
    with pytest.raises(ValueError, match=name):
        HealthSettings(**{name: below})


@pytest.mark.parametrize("name", sorted(HEALTH_RANGES))
def test_a_value_above_the_range_is_refused(name: str) -> None:
    _, high = HEALTH_RANGES[name]
    above = high + 1 if isinstance(getattr(HealthSettings(), name), int) else high + 0.1
    with pytest.raises(ValueError, match=name):
        HealthSettings(**{name: above})


@pytest.mark.parametrize("value", [True, "6", None, 6.5])
def test_a_whole_number_field_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError, match="short_cycle_starts"):
        HealthSettings(short_cycle_starts=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [False, "3", None])
def test_a_number_field_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError, match="not_keeping_up_hours"):
        HealthSettings(not_keeping_up_hours=value)  # type: ignore[arg-type]


def test_a_number_field_takes_a_whole_number() -> None:
    assert HealthSettings(not_keeping_up_hours=4).not_keeping_up_hours == 4


def test_not_a_number_is_out_of_range() -> None:
    with pytest.raises(ValueError, match="degree_day_base"):
        HealthSettings(degree_day_base=float("nan"))


def test_the_clear_threshold_must_be_below_the_start_threshold() -> None:
    with pytest.raises(ValueError, match="short_cycle_clear_starts"):
        HealthSettings(short_cycle_starts=4, short_cycle_clear_starts=4)


def test_settings_are_frozen() -> None:
    settings = HealthSettings()
    with pytest.raises(AttributeError):
        settings.baseline_days = 7  # type: ignore[misc]


def test_from_options_keeps_defaults_for_absent_keys() -> None:
    assert HealthSettings.from_options({}) == HealthSettings()


def test_from_options_ignores_other_capabilities_options() -> None:
    options = {"climate_entity": "climate.lounge", "frequent_resets": 5}
    assert HealthSettings.from_options(options) == HealthSettings(frequent_resets=5)


def test_from_options_accepts_whole_numbers_sent_as_floats() -> None:
    settings = HealthSettings.from_options({"baseline_days": 21.0})
    assert settings.baseline_days == 21
    assert isinstance(settings.baseline_days, int)


def test_from_options_refuses_a_fraction_for_a_whole_number() -> None:
    with pytest.raises(TypeError, match="baseline_days"):
        HealthSettings.from_options({"baseline_days": 21.5})


def _option_values() -> st.SearchStrategy[dict[str, Any]]:
    items: dict[str, st.SearchStrategy[Any]] = {}
    for item in fields(HealthSettings):
        low, high = HEALTH_RANGES[item.name]
        if item.type == "int":
            items[item.name] = st.integers(int(low), int(high)).map(float)
        else:
            items[item.name] = st.floats(low, high)
    return st.fixed_dictionaries({}, optional=items)


@given(_option_values())
def test_from_options_builds_any_values_in_range(options: dict[str, Any]) -> None:
    clear = options.get("short_cycle_clear_starts", 3)
    starts = options.get("short_cycle_starts", 6)
    if clear >= starts:
        with pytest.raises(ValueError, match="short_cycle_clear_starts"):
            HealthSettings.from_options(options)
        return
    settings = HealthSettings.from_options(options)
    for name, value in options.items():
        assert getattr(settings, name) == value
