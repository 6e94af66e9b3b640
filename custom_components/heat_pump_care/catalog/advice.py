"""What a code's meaning says about the fault, as the first sentence of advice.

A code whose row has no advice of its own (or only its category's generic
text) still names a part: "Outdoor air thermistor abnormality", "Outdoor fan
motor lock", "Indoor unit EEPROM parameter error".  ``code_lead`` turns that
into one sentence that replaces the category's generic summary, so the advice
says which part is at fault before the category's steps.  The rules are
explicit and ordered; the first match of the code's category wins.
"""

from __future__ import annotations

import re

from .models import Category

#: A sensor named in a meaning: the words up to "sensor" or "thermistor",
#: and the tag that may follow (``T1``, ``TH2``, ``(TCJ)``).
_SENSOR = re.compile(
    r"^(?P<name>.*?\b(?i:sensors?|thermistors?|probes?)\b"
    r"(?:\s+(?:\([A-Z][^()]*\)|[A-Z]{1,3}[0-9][A-Za-z0-9]*|[0-9]{1,2}\b))?)"
)

#: (keywords, lead) per category; ``{where}`` becomes the unit the meaning
#: names (" of the outdoor unit"), or nothing.
_LEADS: dict[Category, tuple[tuple[tuple[str, ...], str], ...]] = {
    Category.COMMUNICATION: (
        (
            ("inverter", "ipdu"),
            (
                "The control board cannot talk to the inverter board that drives "
                "the compressor."
            ),
        ),
        (
            ("hydro",),
            "The hydro unit and the outdoor unit cannot talk to each other.",
        ),
        (("m-net",), "Messages on the M-NET control bus between the units fail."),
        (("central",), "The unit cannot talk to the central controller."),
        (
            ("wireless", "rf "),
            "The wireless receiver and the unit cannot talk to each other.",
        ),
        (
            ("master", "slave", "follower"),
            "The indoor units of one group cannot talk to each other.",
        ),
        (
            ("display board",),
            "The main board of the indoor unit cannot talk to its display board.",
        ),
        (
            ("indoor-outdoor", "indoor/outdoor", "indoor and outdoor"),
            "The indoor and outdoor units cannot talk to each other.",
        ),
        (
            ("pcb", "cpu", "mcu", "chip", "microcontroller", "serial"),
            "Two circuit boards or chips{where} cannot talk to each other.",
        ),
    ),
    Category.ELECTRICAL: (
        (
            ("eeprom",),
            "The memory chip (EEPROM) on a circuit board{where} cannot be read.",
        ),
        (
            ("remote controller",),
            "The electronics of the wired remote controller report a fault.",
        ),
        (
            ("ipm", "igbt", "power transistor", "transistor module", "power module"),
            (
                "The power module of the inverter (the electronics that drive the "
                "compressor) protected itself or failed."
            ),
        ),
        (
            ("pfc", "power factor", "converter"),
            (
                "The power factor correction (PFC) circuit of the inverter protected "
                "itself."
            ),
        ),
        (
            (
                "overcurrent",
                "over-current",
                "overload current",
                "current overload",
                "input current",
                "running current",
                "dc peak",
                "overpower",
            ),
            (
                "The unit drew more current than allowed and switched off to protect "
                "itself."
            ),
        ),
        (
            ("current transformer", "current sensor", "current detection", "(ct)"),
            "The sensor that measures the unit's current draw reports a fault.",
        ),
        (
            ("zero-crossing",),
            (
                "The circuit that follows the mains waveform (zero crossing) reports "
                "a fault."
            ),
        ),
        (("thermal fuse",), "A thermal fuse{where} has blown."),
        (("connector",), "A protection connector on a circuit board is open."),
        (
            ("inverter pcb", "inverter board", "(inverter) pcb"),
            (
                "The inverter board (the electronics that drive the compressor) "
                "reports a fault."
            ),
        ),
        (
            ("pcb", "board", "microcomputer", "circuit"),
            "A circuit board{where} reports a fault.",
        ),
    ),
    Category.FAN: (
        (
            ("outdoor", "indoor", "hydro"),
            "The fan{where} is blocked, too slow or not reporting its speed.",
        ),
    ),
    Category.PRESSURE: (
        (
            ("pressure-ratio", "pressure ratio"),
            (
                "The difference between the high and the low refrigerant pressure is "
                "too small."
            ),
        ),
        (
            (
                "switch system",
                "switch circuit",
                "switch fault",
                "switch abnormality",
                "disconnected",
            ),
            (
                "The pressure switch{where} or its wiring is faulty; the pressure "
                "itself may be fine."
            ),
        ),
        (
            ("low-pressure increase",),
            "The refrigerant pressure on the suction (low) side rose too high.",
        ),
        (
            ("high-pressure", "high pressure", "high refrigerant pressure", "overload"),
            (
                "The refrigerant pressure rose too high and the high-pressure "
                "protection stopped the unit."
            ),
        ),
        (
            ("low-pressure", "low pressure", "shortage"),
            (
                "The refrigerant pressure fell too low, often a sign of too little "
                "refrigerant or a blocked circuit."
            ),
        ),
    ),
    Category.COMPRESSOR: (
        (("oil",), "The compressor is running short of oil."),
        (
            (
                "lock",
                "rotation",
                "rotating",
                "out of step",
                "desynchron",
                "position detection",
                "demagnet",
            ),
            "The compressor does not turn as it should (locked or out of step).",
        ),
        (("start",), "The compressor failed to start."),
        (
            ("overload", "overheat", "thermostat", "overcurrent", "current"),
            (
                "The compressor ran too hot or drew too much current, and its "
                "protection stopped it."
            ),
        ),
        (("drive",), "The inverter that drives the compressor reports a fault."),
    ),
    Category.REFRIGERANT: (
        (("overcharge",), "The check found too much refrigerant in the circuit."),
        (
            ("leak", "shortage", "low charge", "insufficient"),
            "The unit suspects a refrigerant leak or too little refrigerant.",
        ),
        (
            ("service valve", "stop valve"),
            "A service valve of the refrigerant pipes may be closed or faulty.",
        ),
        (
            ("expansion valve",),
            "An electronic expansion valve{where} does not work as it should.",
        ),
        (
            ("four-way valve", "changeover", "reversing"),
            (
                "The four-way valve that switches between heating and cooling does "
                "not change over properly."
            ),
        ),
        (
            ("solenoid",),
            "A solenoid valve of the refrigerant circuit does not work as it should.",
        ),
        (
            ("superheat", "back-flow"),
            "Liquid refrigerant reaches the compressor (too little superheat).",
        ),
    ),
    Category.CONFIGURATION: (
        (
            ("duplicat", "set twice"),
            "Two units or controllers have the same address or role.",
        ),
        (
            ("too many", "exceeded"),
            "More units are connected than the system allows.",
        ),
        (
            ("miswir", "wiring", "wire", "connection", "connected"),
            "The wiring between the units or controllers is wrong.",
        ),
        (
            ("capacity",),
            "The capacity setting of a unit is missing or does not match.",
        ),
        (
            ("combination", "mismatch", "match"),
            "The indoor and outdoor units (or their settings) do not belong together.",
        ),
        (
            ("check (test) operation", "test operation"),
            "The commissioning test run has not been completed.",
        ),
        (("address",), "The addresses of the units have not been set up."),
    ),
    Category.PROTECTION: (
        (
            ("external",),
            (
                "An external safety device wired to the unit (a limit thermostat or "
                "an alarm contact) has tripped."
            ),
        ),
        (
            ("low water temperature",),
            "The water in the circuit is too cold for the unit to run safely.",
        ),
        (
            (
                "overload",
                "overheat",
                "too hot",
                "high-temperature",
                "temperature limit",
                "maximum temperature",
            ),
            "A part{where} got too hot and the unit stopped to protect itself.",
        ),
        (
            ("safety", "protection device"),
            "A safety device{where} tripped.",
        ),
    ),
    Category.OTHER: (
        (
            ("another", "other indoor", "other rooms", "follower"),
            (
                "Another unit of the same system has the actual fault: look at that "
                "unit's display or remote controller for its own code."
            ),
        ),
        (
            ("louver", "flap", "swing"),
            (
                "The motor of the air flaps (louvers) is blocked or faulty; check "
                "that nothing blocks the flaps."
            ),
        ),
        (
            ("front panel",),
            "The motor that opens the front panel is blocked or faulty.",
        ),
        (
            ("filter",),
            (
                "The automatic filter cleaning reports a fault; check that the dust "
                "box sits properly."
            ),
        ),
        (
            ("disinfection", "legionella"),
            (
                "The anti-legionella cycle did not reach or hold its temperature; "
                "check the backup heater and its breaker."
            ),
        ),
        (
            ("humidifier", "air cleaner", "accessory"),
            "An accessory (a humidifier, an air cleaner) reports a fault.",
        ),
        (("heater",), "An electric heater{where} is faulty."),
    ),
}


def code_lead(category: Category, meaning: str) -> str | None:
    """Return the sentence that says what part the meaning points at, if any."""
    if category is Category.SENSOR:
        return _sensor_lead(meaning)
    text = meaning.casefold()
    for keywords, lead in _LEADS.get(category, ()):
        if any(keyword in text for keyword in keywords):
            return lead.format(where=_where(text))
    return None


def _where(text: str) -> str:
    """Return which unit a (case-folded) meaning names, as "of the ... unit"."""
    if "hydro" in text:
        return " of the hydro unit"
    indoor, outdoor = "indoor" in text, "outdoor" in text
    if indoor and not outdoor:
        return " of the indoor unit"
    if outdoor and not indoor:
        return " of the outdoor unit"
    return ""


def _sensor_lead(meaning: str) -> str | None:
    """Return "The <sensor> reads nonsense" when the meaning names the sensor."""
    match = _SENSOR.match(meaning.strip())
    if match is None:
        return None
    name = match["name"]
    if len(name.split()) < 2:
        return None
    first = name.split()[0]
    if sum(char.isupper() for char in first) < 2:
        name = name[0].lower() + name[1:]
    return f"The {name} reads nonsense (open or short circuit)."
