"""Every translation matches en.json: same keys, placeholders and markup.

en.json is read when the tests run, so a key added to English without a
translation (or a translation left behind after a rename) fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from string import Formatter
from typing import Any

import pytest

TRANSLATIONS = (
    Path(__file__).parents[2] / "custom_components" / "heat_pump_care" / "translations"
)
SOURCE = "en"
#: Languages the integration ships (Home Assistant's codes; ``nb`` is Bokmål).
#: A language listed here whose file is missing fails test_every_language_is_shipped.
LANGUAGES = ("da", "de", "es", "fi", "fr", "it", "nb", "nl", "pl", "sv")
#: Every shipped translation, including any added later without editing LANGUAGES.
CHECKED = sorted(
    ({p.stem for p in TRANSLATIONS.glob("*.json")} | set(LANGUAGES)) - {SOURCE}
)


class DuplicateKeyError(ValueError):
    """A JSON object names the same key twice (json.loads keeps the last)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


def _load(path: Path) -> Any:
    """Parse a translation file strictly: valid JSON and no duplicate keys."""
    return json.loads(
        path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates
    )


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    """Map each leaf's dotted path to its value."""
    if not isinstance(node, dict):
        return {prefix: node}
    flat: dict[str, Any] = {}
    for key, value in node.items():
        flat |= _flatten(value, f"{prefix}.{key}" if prefix else key)
    return flat


def _placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in text; ValueError on a stray brace."""
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def _key_drift(
    source: dict[str, Any], other: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Paths missing from other, and paths other has that source lacks."""
    want, have = set(_flatten(source)), set(_flatten(other))
    return sorted(want - have), sorted(have - want)


def _placeholder_drift(source: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """Paths whose placeholders differ from the source, or cannot be parsed."""
    theirs = _flatten(other)
    problems = []
    for path, text in _flatten(source).items():
        translated = theirs.get(path)
        if not isinstance(translated, str):
            continue
        try:
            got = _placeholders(translated)
        except ValueError as err:
            problems.append(f"{path}: {err}")
            continue
        if got != (want := _placeholders(text)):
            problems.append(f"{path}: {sorted(got)} != {sorted(want)}")
    return problems


def _markup_drift(source: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """Paths whose backticks or line breaks differ from the source."""
    theirs = _flatten(other)
    return [
        path
        for path, text in _flatten(source).items()
        if isinstance(translated := theirs.get(path), str)
        and any(translated.count(mark) != text.count(mark) for mark in ("`", "\n"))
    ]


@pytest.fixture(scope="module")
def en() -> dict[str, Any]:
    """The English source strings."""
    source = _load(TRANSLATIONS / f"{SOURCE}.json")
    assert isinstance(source, dict)
    return source


def test_every_language_is_shipped() -> None:
    assert {SOURCE, *LANGUAGES} <= {p.stem for p in TRANSLATIONS.glob("*.json")}


@pytest.mark.parametrize("language", CHECKED)
def test_valid_json_of_strings(language: str) -> None:
    translation = _load(TRANSLATIONS / f"{language}.json")
    assert isinstance(translation, dict)
    bad = [
        path
        for path, value in _flatten(translation).items()
        if not isinstance(value, str) or not value.strip()
    ]
    assert not bad, f"{language}: empty or non-string values at {bad}"


@pytest.mark.parametrize("language", CHECKED)
def test_same_keys_as_english(en: dict[str, Any], language: str) -> None:
    missing, extra = _key_drift(en, _load(TRANSLATIONS / f"{language}.json"))
    assert not missing, f"{language} lacks {missing}"
    assert not extra, f"{language} has keys en.json lacks: {extra}"


@pytest.mark.parametrize("language", CHECKED)
def test_same_placeholders_as_english(en: dict[str, Any], language: str) -> None:
    problems = _placeholder_drift(en, _load(TRANSLATIONS / f"{language}.json"))
    assert not problems, f"{language}: {problems}"


@pytest.mark.parametrize("language", CHECKED)
def test_same_markup_as_english(en: dict[str, Any], language: str) -> None:
    problems = _markup_drift(en, _load(TRANSLATIONS / f"{language}.json"))
    assert not problems, f"{language}: backticks or line breaks differ at {problems}"


def test_english_placeholders_parse(en: dict[str, Any]) -> None:
    for path, text in _flatten(en).items():
        assert isinstance(text, str), path
        _placeholders(text)


def test_checks_catch_drift(tmp_path: Path) -> None:
    """The helpers above really flag each kind of mistake."""
    source = {"a": {"b": "Hi {name}", "c": "`x`\n\ny"}, "d": "Plain"}
    good = {"a": {"b": "Hallo {name}", "c": "`x`\n\nz"}, "d": "Schlicht"}
    assert _key_drift(source, good) == ([], [])
    assert _placeholder_drift(source, good) == []
    assert _markup_drift(source, good) == []

    drifted = {"a": {"b": "Hallo {nome}", "c": "x\ny", "e": "Neu"}}
    assert _key_drift(source, drifted) == (["d"], ["a.e"])
    assert _placeholder_drift(source, drifted) == ["a.b: ['nome'] != ['name']"]
    assert _markup_drift(source, drifted) == ["a.c"]

    stray = {"a": {"b": "Hallo {name", "c": "`x`\n\ny"}, "d": "Schlicht"}
    assert [p.split(":")[0] for p in _placeholder_drift(source, stray)] == ["a.b"]

    broken = tmp_path / "broken.json"
    broken.write_text('{"a": "b",}', encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        _load(broken)
    twice = tmp_path / "twice.json"
    twice.write_text('{"a": "b", "a": "c"}', encoding="utf-8")
    with pytest.raises(DuplicateKeyError):
        _load(twice)
