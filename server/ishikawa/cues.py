"""The causes a report's words may point at, by Ishikawa category.

Each cue has a stable key (it becomes part of the cause's id, so renaming a key makes officers'
edits of that cause stand alone), its category and the cause it suggests phrased for an officer.
The phrases that reveal a cue are written in each language's vocabulary file
(server/language/lexicons/<code>.toml, the [causes] table under the cue's key), so a cue is found
in every language a file exists for.
"""

from dataclasses import dataclass
from functools import cache

from server.language.lexicon import lexicons

CATEGORIES = ("People", "Machines", "Methods", "Materials", "Measurement", "Environment")
# Analyses store a category by its name; the label is what an officer reads.
CATEGORY_LABELS = {category: category for category in CATEGORIES}

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
    # A safeguard's cue (a guard, a permit): its absence is the cause, so "no guard" still
    # names it, where "no oil" takes oil back.
    safeguard: bool = False

    @property
    def phrases(self) -> dict[str, tuple[str, ...]]:
        """The phrases revealing this cue, by language."""
        return {
            code: tuple(lexicon.causes[self.key])
            for code, lexicon in lexicons().items()
            if self.key in lexicon.causes
        }


def _cues(category: str, *rows: tuple) -> tuple[Cue, ...]:
    return tuple(Cue(key, category, cause, *rest) for key, cause, *rest in rows)


SAFEGUARD = True
# A table reads better one cue to a line than one argument to a line.
# fmt: off
PEOPLE = _cues(
    "People",
    ("training", "Person not trained or inducted for the task", SAFEGUARD),
    ("new-starter", "New or inexperienced worker on the task"),
    ("fatigue", "Fatigue from long, extra or night shifts"),
    ("rushing", "Rushing or shortcuts under time pressure"),
    ("ppe", "Required PPE not worn or not used", SAFEGUARD),
    ("distraction", "Distraction or inattention"),
    ("supervision", "No supervision of the work"),
    ("communication", "Communication or handover breakdown"),
    ("manual-handling", "Manual handling beyond safe limits"),
)

MACHINES = _cues(
    "Machines",
    ("guard", "Machine guard or interlock missing, damaged or bypassed", SAFEGUARD),
    ("forklift", "Forklift or mobile plant moving close to people"),
    ("pump", "Pump, valve, hose or seal failing or leaking"),
    ("worn", "Worn or damaged equipment not replaced"),
    ("faulty", "Faulty equipment or overdue maintenance"),
    ("electrical", "Damaged or exposed electrical equipment"),
    ("tools", "Unsuitable or defective tools or access equipment"),
    ("moving-plant", "Moving plant (press, conveyor, crane) within reach"),
)

METHODS = _cues(
    "Methods",
    ("procedure", "Procedure missing, unclear or not followed", SAFEGUARD),
    ("permit", "Permit to work or isolation (lockout) not in place", SAFEGUARD),
    ("risk-assessment", "No or inadequate risk assessment for the task", SAFEGUARD),
    ("housekeeping", "Poor housekeeping: walkways blocked or cluttered"),
    ("storage", "Unsafe stacking or storage practice"),
    ("segregation", "Pedestrians and vehicles not segregated"),
    ("signage", "Area not signed or barriered off", SAFEGUARD),
)

MATERIALS = _cues(
    "Materials",
    ("oil", "Oil, fuel or lubricant released"),
    ("chemical", "Hazardous chemical handled or stored unsafely"),
    ("pallet", "Damaged or badly loaded pallets"),
    ("packaging", "Packaging or wrapping left in the way"),
    ("spill", "Spilled material not contained or cleaned up"),
    ("sharps", "Sharp material or debris"),
    ("gas-cylinder", "Gas cylinders not secured or stored correctly"),
    ("dust", "Dust or powder released from material"),
    ("waste", "Waste or scrap not removed"),
    ("labelling", "Container unlabelled or wrongly labelled", SAFEGUARD),
)

MEASUREMENT = _cues(
    "Measurement",
    ("gauge", "Gauge or indicator wrong, unreadable or missing", SAFEGUARD),
    ("calibration", "Instrument out of calibration", SAFEGUARD),
    ("no-reading", "Readings or checks not taken or not recorded", SAFEGUARD),
    ("sensor", "Sensor, detector or alarm not working", SAFEGUARD),
    ("inspection", "Inspection not done or overdue", SAFEGUARD),
    ("overfill", "Level not monitored: container overfilled"),
)

ENVIRONMENT = _cues(
    "Environment",
    ("wet-floor", "Wet or slippery floor"),
    ("lighting", "Poor lighting in the work area", SAFEGUARD),
    ("weather", "Bad weather (rain, wind, storm)"),
    ("ice", "Ice, snow or freezing conditions"),
    ("noise", "High noise levels"),
    ("heat", "Heat or high temperature"),
    ("fumes", "Fumes, vapour or poor ventilation"),
    ("congestion", "Cramped or congested work area"),
)

# fmt: on

CUES: tuple[Cue, ...] = PEOPLE + MACHINES + METHODS + MATERIALS + MEASUREMENT + ENVIRONMENT
BY_KEY = {cue.key: cue for cue in CUES}


@cache
def cue_phrases() -> tuple[tuple[str, str, str], ...]:
    """(language, phrase, cue key) for every cue phrase of every vocabulary file."""
    return tuple(
        (code, phrase, key)
        for code, lexicon in lexicons().items()
        for key, phrases in lexicon.causes.items()
        if key in BY_KEY
        for phrase in phrases
    )


@cache
def stop_phrases() -> tuple[tuple[str, str], ...]:
    """(language, phrase) for phrases that contain a cue word but name a place or a thing."""
    return tuple(
        (code, phrase) for code, lexicon in lexicons().items() for phrase in lexicon.not_causes
    )
