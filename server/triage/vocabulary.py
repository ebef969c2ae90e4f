"""The hazard categories triage classifies into: their order, labels and usual severity.

The words that point to each category are data, one file per language
(server/language/lexicons/<code>.toml, section [categories]).
"""

from typing import NamedTuple


class Category(NamedTuple):
    slug: str
    label: str
    # The worst credible outcome usually met in this category (1-5), used when none was given.
    severity: int


UNCATEGORISED = "uncategorised"

# In order of precedence: on a tie, the earlier category wins (the more specific, more serious).
CATEGORIES = (
    Category("confined_spaces", "Confined spaces", 5),
    Category("work_at_height", "Work at height", 4),
    Category("excavations", "Excavations and buried services", 4),
    Category("lifting_operations", "Lifting operations", 4),
    Category("electrical", "Electrical", 4),
    Category("pressure_systems", "Pressure systems", 4),
    Category("fire_explosion", "Fire and explosion", 4),
    Category("vehicles_traffic", "Vehicles and traffic", 4),
    Category("machinery", "Machinery and guarding", 3),
    Category("dropped_objects", "Falling and dropped objects", 4),
    Category("hazardous_substances", "Chemicals and hazardous substances", 4),
    Category("environmental_release", "Spill or release to the environment", 3),
    Category("emissions_noise_dust", "Emissions, noise and dust", 3),
    Category("waste", "Waste", 2),
    Category("manual_handling", "Manual handling", 3),
    Category("ergonomics", "Ergonomics", 2),
    Category("hand_tools_sharps", "Hand tools and sharps", 2),
    Category("slips_trips_falls", "Slips, trips and falls", 3),
    Category("ppe", "Personal protective equipment", 2),
    Category("housekeeping", "Housekeeping", 2),
    Category("welfare", "Welfare facilities", 2),
)

# Likelihood by kind when the wording gives no cue: an injury or a release already happened.
KIND_LIKELIHOOD = {
    "hazard": 3,
    "near_miss": 3,
    "injury": 4,
    "environmental_incident": 4,
    "audit_evidence": 2,
    "good_practice": 1,
}
KIND_SEVERITY = {
    "hazard": 3,
    "near_miss": 3,
    "injury": 3,
    "environmental_incident": 3,
    "audit_evidence": 2,
    "good_practice": 1,
}
