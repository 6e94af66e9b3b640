"""Generate the README's "Supported brands" table from the error-code catalogue.

    scripts/run python scripts/gen_readme_tables.py          # rewrite README.md
    scripts/run python scripts/gen_readme_tables.py --check  # exit 1 if stale

The table sits between ``<!-- BEGIN brands -->`` and ``<!-- END brands -->``;
everything outside the markers is left alone.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BEGIN = "<!-- BEGIN brands -->"
END = "<!-- END brands -->"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from custom_components.heat_pump_care.catalog import Catalog  # noqa: E402


class MarkersMissingError(ValueError):
    """The README lacks the markers that delimit the generated table."""


def _cell(text: str) -> str:
    """Escape text for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ").strip()


def render_brands(catalog: Catalog) -> str:
    """Return the Markdown table of brands, product lines and code counts."""
    lines = [
        "| Brand | Slug | Product lines (codes) | Codes |",
        "|---|---|---|---:|",
    ]
    total_codes = 0
    total_families = 0
    for slug, brand in sorted(
        catalog.brands.items(), key=lambda item: item[1].name.casefold()
    ):
        per_family = Counter(entry.family for entry in brand.codes)
        families = [
            f"{_cell(family.name)} ({per_family.get(family.id, 0)})"
            for family in brand.families
        ]
        # Codes of a family the brand file does not list still count.
        listed = {family.id for family in brand.families}
        families.extend(
            f"{_cell(family_id)} ({count})"
            for family_id, count in sorted(per_family.items())
            if family_id not in listed
        )
        total_codes += len(brand.codes)
        total_families += len(families)
        lines.append(
            f"| {_cell(brand.name)} | `{slug}` | {'<br>'.join(families) or '—'}"
            f" | {len(brand.codes)} |"
        )
    lines.append(
        f"| **Total: {len(catalog.brands)} brands** | | "
        f"**{total_families} product lines** | **{total_codes}** |"
    )
    return "\n".join(lines)


def update_readme(text: str, table: str) -> str:
    """Return ``text`` with the block between the markers replaced by ``table``."""
    start = text.find(BEGIN)
    end = text.find(END)
    if start < 0 or end < start:
        msg = f"README.md needs the markers {BEGIN} and {END}"
        raise MarkersMissingError(msg)
    return f"{text[: start + len(BEGIN)]}\n{table}\n{text[end:]}"


def readme_is_current(readme: Path = README, catalog: Catalog | None = None) -> bool:
    """Return whether the README's table matches the catalogue."""
    text = readme.read_text(encoding="utf-8")
    table = render_brands(catalog or Catalog.load())
    return update_readme(text, table) == text


def main(argv: list[str] | None = None) -> int:
    """Rewrite the table, or with --check report whether it is stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if README.md is out of date"
    )
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    new = update_readme(text, render_brands(Catalog.load()))
    if args.check:
        if new != text:
            print(
                f"{args.readme} is out of date: run scripts/gen_readme_tables.py",
                file=sys.stderr,
            )
            return 1
        return 0
    if new != text:
        args.readme.write_text(new, encoding="utf-8")
        print(f"updated {args.readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
