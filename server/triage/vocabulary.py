"""The words triage reads reports by: hazard categories, harm cues and reportable injuries.

Plain data, curated from occupational safety and environmental practice (HSE topic lists, RIDDOR,
ISO 45001 / 14001 aspect registers). Terms are written as people write them; matching stems
them, so "slip" also finds "slipped" and "slippery". Weights: 3 names the hazard outright,
2 points to it strongly, 1 is a hint that other categories share.
"""

from typing import NamedTuple


def _words(text: str) -> frozenset[str]:
    """The set of space-separated words in text."""
    return frozenset(text.split())


class Category(NamedTuple):
    slug: str
    label: str
    # The worst credible outcome usually met in this category (1-5), used when none was given.
    severity: int
    # Comma-separated terms by weight: strong names the hazard outright, good points to it,
    # hint is a word other categories share.
    strong: str
    good: str = ""
    hint: str = ""

    @property
    def terms(self) -> dict[str, int]:
        """Each term with its weight (3 strong, 2 good, 1 hint)."""
        weighted = ((self.strong, 3), (self.good, 2), (self.hint, 1))
        return {
            term.strip(): weight
            for text, weight in weighted
            for term in text.split(",")
            if term.strip()
        }


UNCATEGORISED = "uncategorised"

# In order of precedence: on a tie, the earlier category wins (the more specific, more serious).
CATEGORIES = (
    Category(
        "confined_spaces",
        "Confined spaces",
        5,
        strong=(
            "confined space, manhole, sewer, silo, culvert, tank entry, vessel entry, crawl "
            "space, entry permit, gas monitor, gas detector, standby man, rescue plan, "
            "breathing apparatus, low oxygen, oxygen deficient"
        ),
        good="chamber, hopper, gas test, top man, tripod, sump",
        hint="hatch, pit, void",
    ),
    Category(
        "work_at_height",
        "Work at height",
        4,
        strong=(
            "work at height, working at height, fragile roof, roof light, skylight, "
            "scaffold, scaff, scaffolder, toe board, toeboard, edge protection, open edge, "
            "leading edge, unprotected edge, harness, fall arrest, fall restraint, ladder, "
            "stepladder, step ladder, mewp, cherry picker, scissor lift, boom lift, floor "
            "opening"
        ),
        good=(
            "height, roof, roofer, guard rail, guardrail, lanyard, podium, parapet, fell "
            "from, fall from"
        ),
        hint="handrail, tower, platform",
    ),
    Category(
        "excavations",
        "Excavations and buried services",
        4,
        strong=(
            "excavation, trench, shoring, trench box, trench sheet, spoil, spoil heap, "
            "buried service, underground service, service strike, cable strike, utility "
            "strike, cat scan, cat and genny, permit to dig, ground collapse"
        ),
        good="digging, digger, genny, groundwork, ground work, gas main, water main",
        hint="battered, dig, excavator",
    ),
    Category(
        "lifting_operations",
        "Lifting operations",
        4,
        strong=(
            "crane, mobile crane, tower crane, overhead crane, chain block, chain hoist, "
            "sling, shackle, lifting gear, lifting equipment, lifting accessory, loler, "
            "lift plan, slinger, tag line, tagline, suspended load, swinging load, lifting "
            "beam, spreader beam, eyebolt, swl, wll, hiab, lifting operation"
        ),
        good="gantry, appointed person, signaller",
        hint="hoist, exclusion zone",
    ),
    Category(
        "electrical",
        "Electrical",
        4,
        strong=(
            "electric, electrical, electrician, live wire, wiring, socket, "
            "extension lead, extension reel, electric shock, distribution board, fuse, fuse "
            "board, consumer unit, circuit breaker, pat test, power line, overhead line, "
            "power cable, arc flash, earthing, busbar, switchgear, voltage, 110v, 240v"
        ),
        good=(
            "live, wire, plug, insulation, shock, isolator, terminal, transformer, volt, "
            "tripped out"
        ),
        hint="cable, lead, exposed, isolation, spark",
    ),
    Category(
        "pressure_systems",
        "Pressure systems",
        4,
        strong=(
            "pressure system, pressure vessel, air receiver, compressed air, air line, "
            "airline, whip check, steam, relief valve, safety valve, prv, pressure relief, "
            "written scheme, autoclave"
        ),
        good="receiver, boiler, psi, pressure washer",
        hint="regulator, valve, burst, hose, pressure",
    ),
    Category(
        "fire_explosion",
        "Fire and explosion",
        4,
        strong=(
            "fire, fire exit, fire door, fire alarm, fire escape, extinguisher, fire "
            "blanket, smoke detector, flame, ignition, flammable, combustible, explosion, "
            "explosive, atex, gas leak, lpg, propane, butane, acetylene, gas bottle, hot "
            "work, sprinkler, call point, fire watch"
        ),
        good="burning, cylinder, assembly point, evacuation, smoking, cigarette",
        hint="oxygen, welding, lighter, gas",
    ),
    Category(
        "vehicles_traffic",
        "Vehicles and traffic",
        4,
        strong=(
            "vehicle, forklift, fork lift, flt, reach truck, telehandler, dumper, lorry, "
            "hgv, reversing, reversed, banksman, traffic, traffic management, speeding, "
            "speed limit, mph, pedestrian, haul road, site road, reversing alarm, seatbelt"
        ),
        good="truck, van, driver, driving, one way, speed, collision, beacon",
        hint="pallet truck, car, crossing, delivery",
    ),
    Category(
        "machinery",
        "Machinery and guarding",
        3,
        strong=(
            "machine, machinery, guard, guarding, interlock, light curtain, e stop, "
            "emergency stop, estop, conveyor, nip point, in running nip, entanglement, "
            "drawn in, press brake, lathe, milling, bandsaw, band saw, circular saw, "
            "guillotine, pillar drill, moving part, lock out, loto, bypassed, bypass, pinch "
            "point"
        ),
        good=(
            "roller, caught in, press, saw, grinder, drill, robot, rotating, chuck, "
            "isolating, tag out, wrapper, mixer"
        ),
        hint="shaft, line, blade",
    ),
    Category(
        "dropped_objects",
        "Falling and dropped objects",
        4,
        strong=(
            "dropped, dropped object, falling object, falling material, falling debris, "
            "struck by, from above, high level storage, tool tether, brick guard, debris "
            "netting"
        ),
        good="unsecured, insecure, top shelf, falling",
        hint="hit by, fell off",
    ),
    Category(
        "hazardous_substances",
        "Chemicals and hazardous substances",
        4,
        strong=(
            "chemical, coshh, sds, safety data sheet, msds, substance, acid, alkali, "
            "caustic, bleach, solvent, thinner, corrosive, toxic, irritant, unlabelled, "
            "decant, asbestos, acm, ammonia, chlorine, hydrochloric, sulphuric, sodium "
            "hydroxide, isocyanate, cleaning product, skin contact, dermatitis, pesticide, "
            "herbicide, biocide, legionella"
        ),
        good="hazardous, vapour, lagging, resin, epoxy, splash",
        hint="paint, fume",
    ),
    Category(
        "environmental_release",
        "Spill or release to the environment",
        3,
        strong=(
            "spill, spilled, spillage, drain, surface water, foul drain, gully, "
            "watercourse, river, stream, canal, ditch, bund, bunded, spill kit, pollution, "
            "run off, runoff, silt, silty, discharge, interceptor"
        ),
        good=(
            "leak, oil leak, diesel, petrol, fuel, hydraulic oil, pond, absorbent, "
            "contaminated, contamination, soil, litre"
        ),
        hint="oil, tank, release",
    ),
    Category(
        "emissions_noise_dust",
        "Emissions, noise and dust",
        3,
        strong=(
            "dust, dusty, dust suppression, water suppression, dust extraction, lev, "
            "silica, wood dust, noise, noisy, decibel, db a, vibration, havs, hand arm "
            "vibration, emission, odour, air quality, particulate"
        ),
        good="extraction, loud, smoke, exhaust, fume, smell, stink, idling, haze",
    ),
    Category(
        "waste",
        "Waste",
        2,
        strong=(
            "waste, skip, recycling, recycle, general waste, hazardous waste, clinical "
            "waste, waste oil, fly tipping, segregation, segregated, waste transfer note, "
            "consignment note, landfill, compactor, baler, sharps bin"
        ),
        good="bin, scrap, litter, battery",
        hint="rubbish, cardboard, plastic",
    ),
    Category(
        "manual_handling",
        "Manual handling",
        3,
        strong=(
            "manual handling, heavy load, strained back, two man lift, team lift, roll "
            "cage, awkward load, lifting aid, lift assist"
        ),
        good="heavy, carry, carrying, pushing, pulling, back pain, trolley",
        hint="lifting, bag, box, hoist, strain, lift",
    ),
    Category(
        "ergonomics",
        "Ergonomics",
        2,
        strong=(
            "ergonomic, posture, awkward posture, bending over, stooping, repetitive, "
            "repetitive strain, rsi, neck pain, chair, seating, desk, workstation, dse, "
            "display screen, keyboard, bench height, standing all day, fatigue mat"
        ),
        good="twisting, back ache, backache, seat, screen, discomfort",
        hint="reaching, monitor, strain",
    ),
    Category(
        "hand_tools_sharps",
        "Hand tools and sharps",
        2,
        strong=(
            "knife, stanley knife, box cutter, craft knife, sharp edge, scissors, chisel, "
            "hammer, screwdriver, hand tool, broken glass, swarf, splinter"
        ),
        good="stanley, blade, sharp, laceration, power tool, burr",
        hint="cut, spanner, glass",
    ),
    Category(
        "slips_trips_falls",
        "Slips, trips and falls",
        3,
        strong=(
            "slip, slippery, slippy, trip, trip hazard, stumble, lost footing, lost my "
            "footing, wet floor, uneven, pothole, loose carpet, loose mat, icy, black ice, "
            "grit, gritting, fell over"
        ),
        good="ice, went over, kerb, greasy, stairs, stair, staircase",
        hint="wet, step, handrail, floor, fell",
    ),
    Category(
        "ppe",
        "Personal protective equipment",
        2,
        strong=(
            "ppe, hi vis, high vis, high visibility, safety boot, steel toe, safety "
            "glasses, goggles, visor, face shield, mask, dust mask, ffp3, ffp2, rpe, "
            "respirator, face fit, ear defender, ear plug, hearing protection, ear "
            "protection"
        ),
        good=(
            "vest, hard hat, helmet, boots, glove, glasses, overalls, not wearing, not worn,, apron"
        ),
    ),
    Category(
        "housekeeping",
        "Housekeeping",
        2,
        strong=(
            "housekeeping, untidy, messy, clutter, cluttered, lying around, not put away,, tidy, 5s"
        ),
        good="mess, obstruction, obstructed, left out, dirty, clean up",
        hint="rubbish, stacked, blocking, blocked, debris, storage, aisle, walkway",
    ),
    Category(
        "welfare",
        "Welfare facilities",
        2,
        strong=(
            "welfare, toilet, loo, hot water, drinking water, changing room, washroom, "
            "soap, shower, too cold, too hot, heatwave, first aid kit, first aid box"
        ),
        good="rest area, hand wash, locker, heating, lighting, lights out",
        hint="canteen, mess room, heat, temperature",
    ),
)

# Stated outcomes that set severity (1-5) when the reporter gave none; the highest one found counts.
SEVERITY_CUES = {
    "fatal": 5,
    "fatality": 5,
    "died": 5,
    "killed": 5,
    "death": 5,
    "amputation": 5,
    "amputated": 5,
    "severed": 5,
    "life threatening": 5,
    "fracture": 4,
    "fractured": 4,
    "broken bone": 4,
    "hospital": 4,
    "hospitalised": 4,
    "a&e": 4,
    "ambulance": 4,
    "unconscious": 4,
    "passed out": 4,
    "knocked out": 4,
    "concussion": 4,
    "dislocated": 4,
    "serious burn": 4,
    "loss of sight": 4,
    "crushed": 4,
    "deep cut": 3,
    "stitches": 3,
    "sprain": 3,
    "sprained": 3,
    "lost time": 3,
    "off work": 3,
    "burn": 3,
    "cut": 2,
    "bruise": 2,
    "bruised": 2,
    "graze": 2,
    "scratch": 2,
    "first aid": 2,
    "minor": 2,
    "sore": 2,
}

# How often the reporter says it happens (1-5); the highest found counts.
LIKELIHOOD_CUES = {
    "every day": 5,
    "daily": 5,
    "all the time": 5,
    "constantly": 5,
    "always": 5,
    "every shift": 5,
    "keeps happening": 5,
    "again": 4,
    "second time": 4,
    "third time": 4,
    "repeatedly": 4,
    "often": 4,
    "frequent": 4,
    "frequently": 4,
    "regularly": 4,
    "most days": 4,
    "every week": 4,
    "rare": 2,
    "rarely": 2,
    "one off": 2,
    "first time": 2,
    "unusual": 2,
}

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

# Injuries that may have to be reported to the regulator (RIDDOR-style "specified injuries").
REPORTABLE_INJURIES = {
    "fracture": "fracture",
    "fractured": "fracture",
    "broken bone": "fracture",
    "amputation": "amputation",
    "amputated": "amputation",
    "severed": "amputation",
    "hospital": "hospital treatment",
    "hospitalised": "hospital treatment",
    "admitted": "hospital treatment",
    "a&e": "hospital treatment",
    "ambulance": "hospital treatment",
    "unconscious": "loss of consciousness",
    "passed out": "loss of consciousness",
    "knocked out": "loss of consciousness",
    "lost consciousness": "loss of consciousness",
    "fatal": "fatality",
    "fatality": "fatality",
    "died": "fatality",
    "killed": "fatality",
    "death": "fatality",
    "serious burn": "serious burns",
    "severe burn": "serious burns",
    "burns requiring treatment": "serious burns",
    "loss of sight": "loss of sight",
    "lost sight": "loss of sight",
    "blinded": "loss of sight",
    "crush injury": "crush injury",
    "scalping": "scalping",
    "asphyxia": "asphyxiation",
    "asphyxiated": "asphyxiation",
    "overcome by fumes": "asphyxiation",
    "over 7 days": "over-7-day incapacitation",
    "more than 7 days": "over-7-day incapacitation",
}
# A break of one of these is a specified injury; fingers, thumbs and toes are not.
BODY_PARTS = _words(
    "arm leg wrist ankle bone rib ribs hip collarbone skull jaw nose pelvis spine back "
    "elbow knee shoulder forearm shin femur neck hand foot feet heel"
)
BREAK_WORDS = _words("broke broken break snapped cracked")
# Words that may stand between a break word and the body part ("broke his left arm").
BODY_ASIDES = _words("his her my their a the left right both upper lower")

# Dangerous occurrences: reportable even when nobody was hurt.
DANGEROUS_OCCURRENCES = {
    "scaffold collapse": "collapse of a scaffold",
    "scaffold collapsed": "collapse of a scaffold",
    "crane overturned": "overturned or failed lifting equipment",
    "crane toppled": "overturned or failed lifting equipment",
    "lifting equipment failure": "overturned or failed lifting equipment",
    "jib failure": "overturned or failed lifting equipment",
    "structural collapse": "structural collapse",
    "building collapse": "structural collapse",
    "wall collapse": "structural collapse",
    "wall collapsed": "structural collapse",
    "trench collapse": "collapse of an excavation",
    "trench collapsed": "collapse of an excavation",
    "racking collapse": "collapse of racking",
    "racking collapsed": "collapse of racking",
    "explosion": "explosion",
    "pressure vessel burst": "failure of a pressure system",
    "boiler explosion": "failure of a pressure system",
    "hit overhead line": "contact with an overhead power line",
    "struck overhead line": "contact with an overhead power line",
    "gas release": "uncontrolled release of a flammable or toxic substance",
}

# Words before a cue that take it back ("no injury", "nearly lost a finger", "could fracture").
NEGATIONS = _words(
    "no not nobody noone none never without didnt wasnt isnt werent nearly almost could "
    "might may would potential potentially risk"
)

# Words that carry no meaning of their own when comparing two reports.
STOPWORDS = _words(
    "a an the and or but of on in at to for from by with without as is are was were be "
    "been it its this that these those there here i me my we our you your he she him her "
    "they them his their has have having had do does did so very just also some any all up down "
    "out off over into onto about again still then than too can will would should could "
    "may might"
)
