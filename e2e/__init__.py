"""End-to-end scenario of Heat Pump Care in a real Home Assistant (``scripts/e2e``)."""
