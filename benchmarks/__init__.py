"""Benchmarks of Heat Pump Care against a minimal reference integration."""

# Home Assistant must install probatio as voluptuous before the test harness
# imports voluptuous (the benchmark imports the harness first).
import homeassistant  # noqa: F401
