"""Make this checkout's custom_components the one Home Assistant imports.

The test harness ships a ``custom_components`` package of its own; importing
ours first (the project root is on sys.path) keeps it from shadowing ours.
"""

import custom_components  # noqa: F401
