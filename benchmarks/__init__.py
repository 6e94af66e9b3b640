"""Benchmarks of Heat Pump Care against a minimal reference integration."""
