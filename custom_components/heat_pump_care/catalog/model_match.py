"""Suggest a brand's product family from the model name an owner types.

A family may list model-name prefixes (``"models": ["FTXM", "ATX"]``). The
model and the prefixes are compared in upper case with everything but
letters and digits removed, so ``MSZ-AP25VG``, ``msz ap25vg`` and
``MSZAP25VG`` read the same. The longest prefix that starts the model names
the family; no match, or a longest match shared by two families, suggests
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Family


def normalise_model(text: str) -> str:
    """Return a model name or prefix in upper case, letters and digits only."""
    return "".join(char for char in text.upper() if char.isalnum())


def suggest_family(families: Iterable[Family], model: str) -> str | None:
    """Return the id of the family whose longest model prefix starts ``model``.

    ``None`` when no prefix matches or when the longest matching prefix
    belongs to more than one family (the model does not tell them apart).
    """
    target = normalise_model(model)
    if not target:
        return None
    longest = 0
    found: set[str] = set()
    for family in families:
        for raw in family.models:
            prefix = normalise_model(raw)
            if not prefix or len(prefix) < longest or not target.startswith(prefix):
                continue
            if len(prefix) > longest:
                longest = len(prefix)
                found = set()
            found.add(family.id)
    return found.pop() if len(found) == 1 else None
