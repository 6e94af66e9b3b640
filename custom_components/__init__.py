"""Custom integrations (this package makes them importable in tests)."""
