"""Smoke test of the benchmark: a tiny run builds a complete, sensible table."""

from __future__ import annotations

from pathlib import Path

from benchmarks import bench

TINY = bench.BenchConfig(
    sizes=(1,),
    rounds=1,
    lookup_samples=10,
    catalog_rounds=1,
    day_entries=1,
    day_step_minutes=60,
)


async def test_tiny_run_builds_the_table() -> None:
    result = await bench.run_benchmark(TINY)
    rows = {row.figure: row for row in result.rows}

    # One heat pump with every feature creates entities on all five platforms
    # and the reference was given (and created) the same counts.
    assert set(result.entities_per_entry) == set(bench.PLATFORMS)
    assert result.setup_seconds.keys() == {(bench.OURS, 1), (bench.REFERENCE, 1)}

    setup = rows["entry setup, 1 heat pump"]
    assert setup.unit == "ms"
    assert setup.budget == "ratio <= 1.5"
    assert setup.value > 0
    assert setup.reference is not None
    assert setup.reference > 0
    assert setup.ratio is not None
    assert setup.passed is (setup.ratio <= 1.5)

    lookup = rows["lookup_error_code latency p50"]
    assert lookup.value > 0
    assert lookup.reference is not None
    assert lookup.reference > 0

    memory = rows["catalogue memory, retained"]
    assert 0 < memory.value < 50

    # The quiet day: exactly the midnight timer, fired once; one listener per
    # source entity; nothing polls and nothing lingers after unload.
    assert rows["own timers pending per entry"].value == 1
    assert rows["own timer wake-ups per entry per quiet day"].value == 1
    assert rows["state-change listeners per entry"].value == 3
    assert rows["timers left per entry after unload"].value == 0
    assert rows["polling entities (1 entries)"].value == 0
    assert rows["blocking calls in the event loop"].value == 0

    table = bench.format_table(result.rows).splitlines()
    assert table[0] == "| figure | value | reference | ratio | budget | pass |"
    assert len(table) == len(result.rows) + 2
    assert all(line.count("|") == 7 for line in table)
    assert {row.passed for row in result.failed} <= {False}
    # One round has no spread to report.
    assert result.spread_note() == ""


def test_spread_note_and_readme_section() -> None:
    result = bench.BenchResult(setup_spread={100: (1.21, 1.38), 1: (1.1, 1.2)})
    note = result.spread_note()
    assert note == (
        "Per-round setup ratios, interquartile range: "
        "1 heat pump 1.10-1.20, 100 heat pumps 1.21-1.38."
    )
    section = bench.readme_section("| table |", TINY, bench.dt_util.now(), note)
    assert section.endswith(f"| table |\n\n{note}\n")
    assert bench.readme_section("| t |", TINY, bench.dt_util.now()).endswith("| t |\n")


async def test_blocking_calls_are_counted(tmp_path: Path) -> None:
    # builtins.open, the function Home Assistant's detection wraps.
    target = tmp_path / "file"
    with (
        bench.BlockingCallCounter() as counter,
        open(target, "w", encoding="utf-8") as handle,  # noqa: ASYNC230, PTH123
    ):
        handle.write("blocking")
    assert counter.calls == [(None, "open")]


def test_readme_section_is_replaced_between_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# Title\n\n## Performance\n\n{bench.BEGIN_MARKER}\nold\n"
        f"{bench.END_MARKER}\n\n## Next\n",
        encoding="utf-8",
    )
    assert bench.write_readme("new table\n", readme)
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text
    assert f"{bench.BEGIN_MARKER}\nnew table\n{bench.END_MARKER}" in text
    assert text.endswith("## Next\n")

    missing = tmp_path / "OTHER.md"
    missing.write_text("# No markers\n", encoding="utf-8")
    assert not bench.write_readme("table", missing)
    assert missing.read_text(encoding="utf-8") == "# No markers\n"
