"""The cue vocabulary: words in a report that point at a cause, by Ishikawa category.

Data only. Each cue has a stable key (it becomes part of the cause's id, so renaming a key makes
officers' edits of that cause stand alone), its category, the cause it suggests phrased for an
officer, and the phrases that reveal it. Phrases are lower case; spaces also match hyphens, and
the suffixes s, es, ed and ing are accepted, so list only forms those do not cover.
"""

from dataclasses import dataclass

CATEGORIES = ("People", "Machines", "Methods", "Materials", "Measurement", "Environment")
# Analyses store a category by its name; the label is what an officer reads.
CATEGORY_LABELS = {category: category for category in CATEGORIES}
# A 5 Whys answer that names no cue is most often about how the work is organised.
DEFAULT_CATEGORY = "Methods"

KIND_LABELS = {
    "hazard": "Hazard",
    "near_miss": "Near miss",
    "environmental_incident": "Environmental incident",
    "injury": "Injury",
    "audit_evidence": "Audit finding",
    "good_practice": "Good practice",
}


@dataclass(frozen=True)
class Cue:
    key: str
    category: str
    cause: str
    phrases: tuple[str, ...]


def _cues(category: str, *rows: tuple[str, str, tuple[str, ...]]) -> tuple[Cue, ...]:
    return tuple(Cue(key, category, cause, phrases) for key, cause, phrases in rows)


# A table reads better one cue to a few lines than one phrase to a line.
# fmt: off
PEOPLE = _cues(
    "People",
    ("training", "Person not trained or inducted for the task",
     ("not trained", "untrained", "no training", "lack of training", "without training",
      "not inducted", "no induction", "not competent")),
    ("new-starter", "New or inexperienced worker on the task",
     ("new starter", "new employee", "new worker", "first day", "first week", "inexperienced",
      "agency worker", "temp worker", "apprentice")),
    ("fatigue", "Fatigue from long, extra or night shifts",
     ("fatigue", "fatigued", "tired", "exhausted", "long shift", "double shift", "overtime",
      "night shift", "12 hour shift")),
    ("rushing", "Rushing or shortcuts under time pressure",
     ("rush", "in a hurry", "hurrying", "time pressure", "shortcut", "short cut", "deadline")),
    ("ppe", "Required PPE not worn or not used",
     ("no ppe", "without ppe", "not wearing", "no gloves", "no helmet", "no hard hat",
      "no hi vis", "no high vis", "no goggles", "no harness", "no safety glasses",
      "no ear protection", "no safety boots")),
    ("distraction", "Distraction or inattention",
     ("distracted", "on the phone", "on his phone", "on her phone", "using a phone",
      "using phone", "horseplay", "not paying attention", "not looking")),
    ("supervision", "No supervision of the work",
     ("no supervision", "unsupervised", "no supervisor", "supervisor absent", "working alone",
      "lone worker", "lone working")),
    ("communication", "Communication or handover breakdown",
     ("miscommunication", "not told", "not informed", "no handover", "no hand over",
      "language barrier", "misunderstood")),
    ("manual-handling", "Manual handling beyond safe limits",
     ("manual handling", "heavy load", "heavy lift", "awkward posture", "overreach",
      "overreaching", "twisting", "carrying")),
)

MACHINES = _cues(
    "Machines",
    ("guard", "Machine guard or interlock missing, damaged or bypassed",
     ("guard", "guarding", "unguarded", "interlock", "bypassed", "light curtain")),
    ("forklift", "Forklift or mobile plant moving close to people",
     ("forklift", "fork lift", "flt", "reach truck", "pallet truck", "telehandler",
      "mobile plant", "loader", "dumper")),
    ("pump", "Pump, valve, hose or seal failing or leaking",
     ("pump", "valve", "seal", "hose", "gasket", "flange", "pipework", "coupling")),
    ("worn", "Worn or damaged equipment not replaced",
     ("worn", "worn out", "wear and tear", "frayed", "cracked", "corroded", "corrosion", "rust",
      "rusted", "rusty", "bent", "damaged")),
    ("faulty", "Faulty equipment or overdue maintenance",
     ("faulty", "broken", "malfunction", "not working", "out of order", "breakdown",
      "broke down", "not maintained", "no maintenance", "maintenance overdue",
      "overdue service", "jammed")),
    ("electrical", "Damaged or exposed electrical equipment",
     ("exposed wire", "exposed wiring", "bare wire", "damaged cable", "cable", "socket",
      "extension lead", "sparking", "spark", "electric shock", "live wire")),
    ("tools", "Unsuitable or defective tools or access equipment",
     ("ladder", "step ladder", "grinder", "power tool", "drill", "angle grinder", "scaffold",
      "scaffolding", "hand tool")),
    ("moving-plant", "Moving plant (press, conveyor, crane) within reach",
     ("press", "conveyor", "crane", "hoist", "compressor", "mixer", "rollers", "lathe")),
)

METHODS = _cues(
    "Methods",
    ("procedure", "Procedure missing, unclear or not followed",
     ("procedure", "no procedure", "sop", "work instruction", "method statement",
      "not followed", "wrong method", "instructions")),
    ("permit", "Permit to work or isolation (lockout) not in place",
     ("permit", "permit to work", "no permit", "hot work", "confined space", "isolation",
      "not isolated", "lockout", "lock out", "loto", "tag out")),
    ("risk-assessment", "No or inadequate risk assessment for the task",
     ("no risk assessment", "risk assessment", "not risk assessed", "not assessed", "rams")),
    ("housekeeping", "Poor housekeeping: walkways blocked or cluttered",
     ("housekeeping", "clutter", "cluttered", "untidy", "blocked", "obstructed", "trailing",
      "trip hazard", "left on the floor")),
    ("storage", "Unsafe stacking or storage practice",
     ("stacked too high", "stacking", "overloaded", "overloading", "racking",
      "unstable load", "unsecured load", "not secured")),
    ("segregation", "Pedestrians and vehicles not segregated",
     ("no segregation", "not segregated", "pedestrian", "no walkway", "walkway not marked",
      "reversing", "blind spot", "no banksman")),
    ("signage", "Area not signed or barriered off",
     ("no sign", "no signage", "signage", "not signposted", "no barrier", "barrier",
      "not cordoned", "cordon", "no warning")),
)

MATERIALS = _cues(
    "Materials",
    ("oil", "Oil, fuel or lubricant released",
     ("oil", "oily", "grease", "lubricant", "hydraulic fluid", "diesel", "fuel", "petrol")),
    ("chemical", "Hazardous chemical handled or stored unsafely",
     ("chemical", "solvent", "acid", "caustic", "coshh", "bleach", "corrosive", "toxic",
      "paint", "adhesive")),
    ("pallet", "Damaged or badly loaded pallets",
     ("pallet", "broken pallet", "damaged pallet")),
    ("packaging", "Packaging or wrapping left in the way",
     ("packaging", "cardboard", "shrink wrap", "stretch wrap", "strapping", "plastic wrap",
      "box")),
    ("spill", "Spilled material not contained or cleaned up",
     ("spill", "spilled", "spilt", "spillage", "leak", "leakage", "drip", "dripping",
      "dripped")),
    ("sharps", "Sharp material or debris",
     ("glass", "broken glass", "sharp", "needle", "nail", "splinter", "swarf")),
    ("gas-cylinder", "Gas cylinders not secured or stored correctly",
     ("gas cylinder", "cylinder", "lpg", "propane", "acetylene", "oxygen bottle")),
    ("dust", "Dust or powder released from material",
     ("dust", "dusty", "silica", "asbestos", "powder", "sawdust")),
    ("waste", "Waste or scrap not removed",
     ("waste", "skip", "scrap", "debris", "rubbish", "litter", "offcut")),
    ("labelling", "Container unlabelled or wrongly labelled",
     ("unlabelled", "unlabeled", "no label", "mislabelled", "mislabeled", "wrong label")),
)

MEASUREMENT = _cues(
    "Measurement",
    ("gauge", "Gauge or indicator wrong, unreadable or missing",
     ("gauge", "dial", "indicator", "level indicator", "sight glass")),
    ("calibration", "Instrument out of calibration",
     ("calibration", "calibrated", "not calibrated", "uncalibrated", "out of calibration")),
    ("no-reading", "Readings or checks not taken or not recorded",
     ("no reading", "not measured", "not recorded", "not checked", "no check",
      "no record", "not logged", "missing record", "log not filled")),
    ("sensor", "Sensor, detector or alarm not working",
     ("sensor", "detector", "alarm", "gas monitor", "probe", "thermostat", "smoke detector")),
    ("inspection", "Inspection not done or overdue",
     ("no inspection", "not inspected", "inspection overdue", "overdue inspection",
      "pre use check", "prestart check")),
    ("overfill", "Level not monitored: container overfilled",
     ("overfilled", "overfill", "overflow", "overflowing", "overflowed", "bund full")),
)

ENVIRONMENT = _cues(
    "Environment",
    ("wet-floor", "Wet or slippery floor",
     ("wet floor", "slippery", "slip", "slipped", "slipping", "wet", "water on the floor",
      "puddle")),
    ("lighting", "Poor lighting in the work area",
     ("lighting", "poor light", "no light", "lights out", "poorly lit", "dark", "darkness",
      "dim", "bulb")),
    ("weather", "Bad weather (rain, wind, storm)",
     ("rain", "storm", "windy", "strong wind", "high wind", "gust", "flood", "flooding",
      "weather")),
    ("ice", "Ice, snow or freezing conditions",
     ("ice", "icy", "frost", "frosty", "snow", "freezing", "black ice")),
    ("noise", "High noise levels",
     ("noise", "noisy", "loud")),
    ("heat", "Heat or high temperature",
     ("heat", "heatwave", "hot", "high temperature", "sun", "sunny", "humid")),
    ("fumes", "Fumes, vapour or poor ventilation",
     ("fumes", "vapour", "vapor", "smoke", "ventilation", "poorly ventilated", "smell")),
    ("congestion", "Cramped or congested work area",
     ("cramped", "congested", "congestion", "confined area", "tight space", "restricted space")),
)

# fmt: on

CUES: tuple[Cue, ...] = PEOPLE + MACHINES + METHODS + MATERIALS + MEASUREMENT + ENVIRONMENT

# Phrases that contain a cue word but name a place or a thing, not a cause: matched and ignored.
STOP_PHRASES = (
    "storm drain",
    "storm water",
    "surface water drain",
    "light duty",
    "fire alarm test",
)
