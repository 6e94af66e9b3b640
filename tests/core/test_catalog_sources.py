"""Every source of the shipped catalogue says what was read, and all of it is in.

A source names the table it was read from (``table``) and how many codes that
table holds (``codes_in_table``). The rows citing the source hold at least
that many codes, less the codes its ``omitted`` list names, each with the
reason it was left out. One test per source and rule, so a failure names both.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from typing import Any

import pytest

from custom_components.heat_pump_care.catalog import DATA_DIR


def _sources() -> Iterator[Any]:
    """Yield (source, rows citing it) of every data file, one param each.

    A file that cannot be read is left to ``test_catalog_data`` (which fails
    on it), so collecting these tests never breaks the whole run.
    """
    for path in sorted(DATA_DIR.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            sources = data["sources"].items()
            rows = data["codes"]
        except OSError, ValueError, KeyError, TypeError, AttributeError:
            continue
        for source_id, source in sources:
            citing = [
                row
                for row in rows
                if isinstance(row, dict) and source_id in row.get("sources", ())
            ]
            yield pytest.param(source, citing, id=f"{path.stem}:{source_id}")


SOURCES = list(_sources())


def test_sources_are_collected() -> None:
    assert len(SOURCES) > 50


@pytest.mark.parametrize(("source", "citing"), SOURCES)
def test_source_names_the_table_it_read(source: dict[str, Any], citing: Any) -> None:
    table = source.get("table")
    assert isinstance(table, str), "no `table`: say which document/section/pages"
    assert table.strip(), "`table` is empty"


@pytest.mark.parametrize(("source", "citing"), SOURCES)
def test_source_counts_the_codes_of_its_table(
    source: dict[str, Any], citing: Any
) -> None:
    count = source.get("codes_in_table")
    assert isinstance(count, int), "no `codes_in_table`"
    assert not isinstance(count, bool)
    assert count > 0


@pytest.mark.parametrize(("source", "citing"), SOURCES)
def test_rows_hold_every_code_of_the_table(
    source: dict[str, Any], citing: list[dict[str, Any]]
) -> None:
    count = source.get("codes_in_table")
    if not isinstance(count, int):
        pytest.fail("no `codes_in_table` to check the rows against")
    omitted = source.get("omitted", [])
    expected = count - len(omitted)
    assert len(citing) >= expected, (
        f"{len(citing)} rows cite this source; its table holds {count} codes "
        f"and {len(omitted)} are listed as omitted: "
        f"{expected - len(citing)} code(s) missing"
    )


@pytest.mark.parametrize(("source", "citing"), SOURCES)
def test_omitted_codes_are_named_with_a_reason(
    source: dict[str, Any], citing: Any
) -> None:
    omitted = source.get("omitted", [])
    assert isinstance(omitted, list)
    for item in omitted:
        assert isinstance(item, dict), item
        assert isinstance(item.get("code"), str), item
        assert item["code"].strip(), f"omitted code without a code: {item}"
        assert isinstance(item.get("reason"), str), item
        assert item["reason"].strip(), f"omitted {item['code']!r} without a reason"
