"""Explicit rules that derive severity, advice and reset safety of a code.

The same rules serve the data build (``scripts/build_catalog.py``), rows that
carry no advice of their own, and user-defined codes, so a code is judged the
same way wherever it comes from. ``docs/catalog.md`` lists them in prose.
"""

from __future__ import annotations

from collections.abc import Mapping

from .advice import code_lead
from .models import HARMFUL_RESET_CATEGORIES, Category, Severity

#: Words in a meaning that mark a fault the unit rides through by itself.
WARNING_KEYWORDS: tuple[str, ...] = (
    "warning",
    "operation continues",
    "keeps running",
    "can restart",
    "another indoor unit",
    "other indoor unit",
    "other outdoor unit",
)

#: Words that mark a lock-out or a risk of damage, in any category.
CRITICAL_KEYWORDS: tuple[str, ...] = (
    "lockout",
    "lock-out",
    "locked out",
    "cannot restart",
    "pipe rupture",
)

#: Electrical faults that point at the power stage (risk of damage).
POWER_STAGE_KEYWORDS: tuple[str, ...] = (
    "ipm",
    "igbt",
    "power module",
    "power transistor",
    "transistor module",
    "overcurrent",
    "over-current",
    "overload current",
    "current overload",
    "dc peak",
    "short-circuit",
    "pfc",
    "thermal fuse",
)

#: Categories that are critical on their own (compressor, refrigerant circuit).
CRITICAL_CATEGORIES: frozenset[Category] = frozenset(
    {Category.REFRIGERANT, Category.PRESSURE, Category.COMPRESSOR}
)

#: What a fault of each category is, in one sentence (none for ``other``).
CATEGORY_SUMMARY: Mapping[Category, str] = {
    Category.COMMUNICATION: "The units or controllers cannot talk to each other.",
    Category.SENSOR: (
        "A temperature or pressure sensor reads nonsense (open or short circuit)."
    ),
    Category.PRESSURE: "The refrigerant pressure left its safe range.",
    Category.REFRIGERANT: (
        "The refrigerant circuit is not working as it should (leak, low charge, "
        "a valve or expansion valve)."
    ),
    Category.COMPRESSOR: "The compressor or its drive stopped to protect itself.",
    Category.FAN: "A fan motor is blocked, too slow or not reporting its speed.",
    Category.DEFROST: "Defrosting did not work as planned.",
    Category.DRAIN: "Condensate water cannot leave the unit.",
    Category.ELECTRICAL: (
        "An electrical part (supply, circuit board, power electronics) reports a fault."
    ),
    Category.PROTECTION: (
        "A safety function stopped the unit (overheating, freezing, water flow "
        "or an external safety device)."
    ),
    Category.CONFIGURATION: "A setting, address or unit combination is wrong.",
    Category.OTHER: "",
}

#: What the owner should do about a fault of each category.
CATEGORY_ACTIONS: Mapping[Category, str] = {
    Category.COMMUNICATION: (
        "Check that every part of the system has power, then try one safe reset. "
        "If the code comes back, ask an installer to check the signal wiring and "
        "connectors."
    ),
    Category.SENSOR: (
        "The unit may stop or run in a limited mode. A reset will not repair the "
        "sensor: have a technician check its plug and resistance."
    ),
    Category.PRESSURE: (
        "Clean the filters and make sure the indoor and outdoor coils have free "
        "airflow (or that water flows, on water units), then call a technician. "
        "Do not reset again and again: restarting into a pressure fault can "
        "damage the compressor."
    ),
    Category.REFRIGERANT: (
        "This needs a certified refrigeration technician. Do not keep resetting: "
        "running short of refrigerant harms the compressor."
    ),
    Category.COMPRESSOR: (
        "Switch the unit off and call a technician; repeated restarts can "
        "destroy the compressor."
    ),
    Category.FAN: (
        "With the power off, check that nothing (ice, snow, leaves) blocks the "
        "fan. If it turns freely, a technician should check the motor and its "
        "board."
    ),
    Category.DEFROST: (
        "Check that the outdoor unit is not buried in snow or ice and that melt "
        "water can run off. Call a technician if the code returns."
    ),
    Category.DRAIN: (
        "Check the condensate pump, the float switch and the drain line for "
        "blockages and empty the drip tray. Do not reset before the water can "
        "drain, or it may overflow."
    ),
    Category.ELECTRICAL: (
        "Check the breaker and supply voltage. If the code stays, a technician "
        "must inspect the boards; do not open the unit yourself."
    ),
    Category.PROTECTION: (
        "Remove the cause first: clean filters, free airflow, open water valves "
        "and correct water pressure. Call a technician if it trips again."
    ),
    Category.CONFIGURATION: (
        "A reset will not fix it: the installer must correct the set-up or wiring."
    ),
    Category.OTHER: (
        "Note the code and what the unit was doing, check the manual of your "
        "model and contact your installer if it returns."
    ),
}

#: The advice of a category when the meaning says nothing more specific.
CATEGORY_ADVICE: Mapping[Category, str] = {
    category: f"{CATEGORY_SUMMARY[category]} {CATEGORY_ACTIONS[category]}".strip()
    for category in Category
}

_GENERIC_ADVICE = frozenset(CATEGORY_ADVICE.values())

#: Advice for a code the catalogue does not know.
UNKNOWN_CODE_ADVICE = (
    "This code is not in the catalogue for this brand. Note it, look it up in "
    "the manual of your model or ask your installer, and avoid repeated resets "
    "until you know what it means."
)

_DRAIN_WORDS = ("float", "drain", "condensate", "water level", "overflow")

#: (keywords, categories the rule applies to, advice); first match wins.
_SPECIFIC_ADVICE: tuple[tuple[tuple[str, ...], frozenset[Category], str], ...] = (
    (
        _DRAIN_WORDS,
        frozenset({Category.SENSOR}),
        (
            "The sensor that watches the condensate level reports a fault. Check "
            "the drain line and pump for blockages first; if water drains freely, "
            "a technician should check the sensor or float switch."
        ),
    ),
    (
        _DRAIN_WORDS,
        frozenset({Category.DRAIN, Category.PROTECTION}),
        CATEGORY_ADVICE[Category.DRAIN],
    ),
    (
        (
            "water flow",
            "flow switch",
            "water pump",
            "water pressure",
            "flow sensor",
            "flow detected",
            "water circulation",
        ),
        frozenset({Category.PROTECTION, Category.DEFROST}),
        (
            "The water circuit does not flow as it should. Check the water pressure "
            "gauge (top up to the installer's value), that valves are open and the "
            "water filter or strainer is clean, and that the circulation pump runs. "
            "Call your installer if the alarm returns."
        ),
    ),
    (
        ("freez", "anti-icing", "frost"),
        frozenset({Category.PROTECTION}),
        (
            "The unit stopped to keep a heat exchanger from freezing. Clean or "
            "replace dirty filters, make sure air (or water) flows freely, and let "
            "the unit thaw. Frequent repeats can mean low refrigerant: call a "
            "technician."
        ),
    ),
    (
        ("heater", "olp", "thermal protection"),
        frozenset({Category.PROTECTION}),
        (
            "An electric heater's safety cut-out tripped (overheating). It often "
            "points at low water flow or air in the system. The cut-out may need a "
            "manual reset by a technician once the cause is found."
        ),
    ),
    (
        ("discharge", "heat sink", "radiation fin", "fin temperature", "ipm"),
        frozenset({Category.PROTECTION}),
        (
            "A component ran too hot. Make sure the outdoor unit has free airflow "
            "and clean coils. High discharge temperature often means low "
            "refrigerant, so call a technician if it repeats."
        ),
    ),
    (
        ("remote", "control panel", "wired controller"),
        frozenset({Category.COMMUNICATION}),
        (
            "The remote controller and the unit cannot talk to each other. Check "
            "the controller cable and connectors, then try one safe reset. Call an "
            "installer if it returns."
        ),
    ),
    (
        ("voltage", "power supply", "power interruption", "phase", "power failure"),
        frozenset({Category.ELECTRICAL}),
        (
            "The unit saw a supply problem. Check breakers and, for three-phase "
            "units, that all phases are present. Wait until the supply is stable "
            "before a reset; if it returns, have an electrician check the supply."
        ),
    ),
    (
        ("mode conflict", "conflicting modes"),
        frozenset({Category.CONFIGURATION}),
        (
            "Indoor units on one outdoor unit ask for different modes (heating and "
            "cooling) at the same time. Set them all to the same mode; the code "
            "then clears by itself."
        ),
    ),
    (
        ("outdoor temperature too low", "outdoor temperature above"),
        frozenset({Category.PROTECTION}),
        (
            "The outdoor temperature is outside the range the unit works in. It "
            "starts again by itself once the temperature is back in range; a "
            "backup heater, if fitted, heats meanwhile. Nothing needs resetting."
        ),
    ),
)


def _has(text: str, keywords: tuple[str, ...]) -> bool:
    """Return whether any keyword occurs in the lower-cased text."""
    return any(keyword in text for keyword in keywords)


def derive_severity(
    category: Category, reset_may_help: bool | None, meaning: str
) -> Severity:
    """Derive the severity of a code from category, reset safety and meaning.

    Rules, first match wins:
    1. a lock-out wording (``CRITICAL_KEYWORDS``) is critical;
    2. a warning wording (``WARNING_KEYWORDS``) is a warning;
    3. refrigerant, pressure and compressor faults are critical;
    4. electrical faults of the power stage (``POWER_STAGE_KEYWORDS``) are
       critical;
    5. everything else stops the affected function: error.
    """
    text = meaning.casefold()
    if _has(text, CRITICAL_KEYWORDS):
        return Severity.CRITICAL
    if _has(text, WARNING_KEYWORDS):
        return Severity.WARNING
    if category in CRITICAL_CATEGORIES:
        return Severity.CRITICAL
    if category is Category.ELECTRICAL and _has(text, POWER_STAGE_KEYWORDS):
        return Severity.CRITICAL
    del reset_may_help  # part of the signature for future rules; unused today
    return Severity.ERROR


def derive_advice(category: Category, meaning: str) -> str:
    """Return owner advice for a code: about that code where the meaning allows.

    Rules, first match wins:
    1. a meaning that names a situation with its own advice
       (``_SPECIFIC_ADVICE``: drain, water flow, freezing, ...) gets that advice;
    2. a meaning that names the part at fault (``advice.code_lead``) gets a
       sentence about that part, then the category's steps;
    3. otherwise the category's generic advice (``CATEGORY_ADVICE``).
    """
    text = meaning.casefold()
    for keywords, categories, advice in _SPECIFIC_ADVICE:
        if category in categories and _has(text, keywords):
            return advice
    if lead := code_lead(category, meaning):
        return f"{lead} {CATEGORY_ACTIONS[category]}"
    return CATEGORY_ADVICE[category]


def is_generic_advice(advice: str) -> bool:
    """Return whether an advice text is only a category's generic advice."""
    return advice in _GENERIC_ADVICE


def default_reset_may_help(category: Category) -> bool | None:
    """Return whether a reset may help, judged by the category alone."""
    if category in HARMFUL_RESET_CATEGORIES:
        return False
    if category is Category.COMMUNICATION:
        return True
    return None
