"""Where the benchmark finds the integration, the reference and the README."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUR_DIR = ROOT / "custom_components" / "heat_pump_care"
REFERENCE_COMPONENTS = (
    Path(__file__).resolve().parent / "reference_integration" / "custom_components"
)
REFERENCE_DIR = REFERENCE_COMPONENTS / "bench_reference"
README = ROOT / "README.md"
