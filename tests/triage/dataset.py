"""Labelled field reports for measuring the triage classifier.

Written before the vocabulary, in the voice of people on site: short, typos, site slang. DEV was
written first; the vocabulary was then written from domain knowledge, not from these sentences.
HELD_OUT was written after the vocabulary was frozen, and is scored on its own, so the accuracy
on it shows how the classifier does on wording it has never seen.

Each case: description, kind, expected category, and (where it is clear-cut) whether the report
should be flagged as potentially reportable (RIDDOR-style); None means "not asserted".
"""

from typing import NamedTuple


class Case(NamedTuple):
    description: str
    kind: str
    category: str
    reportable: bool | None = None


DEV = [
    # slips, trips and falls on the level
    Case(
        "oil on floor by press 4 again, nearly went on my backside", "hazard", "slips_trips_falls"
    ),
    Case(
        "Lad slipped on wet tiles in canteen, no sign out. bruised elbow",
        "injury",
        "slips_trips_falls",
        False,
    ),
    Case(
        "trip hazard - cable run across walkway at goods in, was taped down but tape come up",
        "hazard",
        "slips_trips_falls",
    ),
    Case(
        "uneven paving slab outside main office, sticking up 2 inch, someone will go over on it",
        "hazard",
        "slips_trips_falls",
    ),
    Case("ice on the loading bay ramp this morning no grit down", "hazard", "slips_trips_falls"),
    Case(
        "Fell on stairs to mezz, handrail loose, twisted ankle",
        "injury",
        "slips_trips_falls",
        False,
    ),
    # work at height
    Case(
        "guy on the roof with no harness right near the edge, no edge protection up",
        "hazard",
        "work_at_height",
    ),
    Case(
        "scaffold on block C missing toe boards and one handrail, scafftag out of date",
        "hazard",
        "work_at_height",
    ),
    Case("ladder to mezz not tied off and nobody footing it", "hazard", "work_at_height"),
    Case(
        "MEWP operator leaning right out the basket to reach the beam, not clipped on",
        "near_miss",
        "work_at_height",
    ),
    Case(
        "open edge on 2nd floor slab, barriers took down for deliverys and not put back",
        "hazard",
        "work_at_height",
    ),
    Case(
        "Fell approx 2m from stepladder changing a light. Taken to hospital suspected broken wrist",
        "injury",
        "work_at_height",
        True,
    ),
    Case(
        "good practice - scaff team put new guard rails up on the loading dock before anyone asked",
        "good_practice",
        "work_at_height",
    ),
    Case(
        "Subbie fell through a fragile roof light, died at scene",
        "injury",
        "work_at_height",
        True,
    ),
    # electrical
    Case(
        "exposed wires on the extension lead in workshop, insulation all cracked",
        "hazard",
        "electrical",
    ),
    Case("DB cover missing in plant room, live terminals showing", "hazard", "electrical"),
    Case(
        "got a belt off the kettle in the mess room, tingle right up my arm",
        "injury",
        "electrical",
        False,
    ),
    Case(
        "sparks come out the socket when the floor scrubber was plugged in",
        "near_miss",
        "electrical",
    ),
    Case(
        "sparkies working on the distribution board live, no isolation",
        "hazard",
        "electrical",
    ),
    Case(
        "overhead power lines over the laydown area, crane working right underneath",
        "hazard",
        "electrical",
    ),
    # machinery and guarding
    Case("guard off the bandsaw in joinery shop and its still being used", "hazard", "machinery"),
    Case(
        "interlock on the palletiser door bypassed with a cable tie",
        "hazard",
        "machinery",
    ),
    Case(
        "operator reached into conveyor to clear a jam without isolating, sleeve got caught",
        "near_miss",
        "machinery",
    ),
    Case(
        "Finger caught in rollers on the lathe, deep cut, first aider sorted it",
        "injury",
        "machinery",
        False,
    ),
    Case("e-stop on line 2 doesnt work, tested it twice", "hazard", "machinery"),
    Case(
        "Amputated tip of finger on the guillotine, went to hospital",
        "injury",
        "machinery",
        True,
    ),
    Case(
        "nearly lost a finger in the press, no injury though",
        "near_miss",
        "machinery",
        False,
    ),
    # chemicals and hazardous substances
    Case(
        "unlabelled bottles of clear liquid in cleaners cupboard, no COSHH sheet",
        "hazard",
        "hazardous_substances",
    ),
    Case(
        "bleach and acid descaler stored on the same shelf",
        "hazard",
        "hazardous_substances",
    ),
    Case(
        "splash of caustic in eye topping up the CIP tank, eye wash used then went to A&E",
        "injury",
        "hazardous_substances",
        True,
    ),
    Case(
        "solvent tins left open in paint store, strong fumes and no extraction",
        "hazard",
        "hazardous_substances",
    ),
    Case("lads using thinners to wash their hands", "hazard", "hazardous_substances"),
    Case(
        "old lagging broken on pipes in basement, white fibrous stuff on floor, asbestos??",
        "hazard",
        "hazardous_substances",
    ),
    # fire and explosion
    Case("fire exit at back of warehouse blocked with pallets", "hazard", "fire_explosion"),
    Case(
        "extinguisher missing off the bracket by the welding bay",
        "hazard",
        "fire_explosion",
    ),
    Case("smell of gas near the boiler house", "hazard", "fire_explosion"),
    Case(
        "hot works going on without a permit, sparks landing on cardboard",
        "near_miss",
        "fire_explosion",
    ),
    Case("fire alarm didnt go off in block B during the test", "hazard", "fire_explosion"),
    Case(
        "small fire in the bin outside the smoking shelter, put out with extinguisher",
        "near_miss",
        "fire_explosion",
    ),
    Case(
        "propane bottles stored right next to the oxygen, no chain on them",
        "hazard",
        "fire_explosion",
    ),
    # manual handling
    Case(
        "having to lift 25kg sacks off floor level pallets all shift, back is killing",
        "hazard",
        "manual_handling",
    ),
    Case(
        "hurt my back lifting the gearbox onto the bench, no hoist available",
        "injury",
        "manual_handling",
        False,
    ),
    Case(
        "2 man lift on the doors being done by 1 person cos short staffed",
        "hazard",
        "manual_handling",
    ),
    Case(
        "Pulled a muscle in shoulder pushing the heavy cage trolley, one wheel is broke",
        "injury",
        "manual_handling",
        False,
    ),
    # vehicles and traffic
    Case(
        "FLT reversing out of racking aisle without looking, nearly hit a picker",
        "near_miss",
        "vehicles_traffic",
    ),
    Case(
        "delivery driver reversed into bollard by gatehouse, no banksman",
        "near_miss",
        "vehicles_traffic",
    ),
    Case(
        "pedestrian walkway paint worn off in the yard, people walking where the forklifts go",
        "hazard",
        "vehicles_traffic",
    ),
    Case("van speeding on site road, well over 10mph", "hazard", "vehicles_traffic"),
    Case("telehandler parked on slope with forks up", "hazard", "vehicles_traffic"),
    Case(
        "reach truck hit racking upright bay 14, upright is bent",
        "near_miss",
        "vehicles_traffic",
    ),
    # PPE
    Case("contractors on site with no hi-vis or hard hats", "hazard", "ppe"),
    Case(
        "run out of FFP3 masks in the grinding area, people going in without",
        "hazard",
        "ppe",
    ),
    Case("safety specs scratched to bits cant see through them, need new", "hazard", "ppe"),
    Case("ear defenders not being worn in compressor house", "hazard", "ppe"),
    Case("chemical gloves have got holes in", "hazard", "ppe"),
    Case(
        "good to see all the new starters wearing safety boots and gloves",
        "good_practice",
        "ppe",
    ),
    # housekeeping
    Case(
        "workshop is a tip, offcuts and rubbish everywhere, nowhere to walk",
        "hazard",
        "housekeeping",
    ),
    Case(
        "pallets and boxes stacked in aisle 3 blocking the walkway",
        "hazard",
        "housekeeping",
    ),
    Case("mess room left filthy again, food all over the tables", "hazard", "housekeeping"),
    Case(
        "tools left lying about on the mezzanine after the shift",
        "hazard",
        "housekeeping",
    ),
    # spill or release to the environment
    Case(
        "diesel spill at the fuel bowser, run into the surface water drain",
        "environmental_incident",
        "environmental_release",
    ),
    Case(
        "hydraulic hose burst on excavator, approx 20 litres oil on the ground, spill kit used",
        "environmental_incident",
        "environmental_release",
    ),
    Case(
        "oily sheen on the brook behind the yard", "environmental_incident", "environmental_release"
    ),
    Case(
        "IBC leaking in the bund, bund full of rain water so its overflowing",
        "environmental_incident",
        "environmental_release",
    ),
    Case(
        "concrete washout going straight in the stream",
        "environmental_incident",
        "environmental_release",
    ),
    Case("bund valve left open on the oil tank", "hazard", "environmental_release"),
    # waste
    Case(
        "general waste skip full of cardboard and plastic, should be in recycling",
        "hazard",
        "waste",
    ),
    Case("clinical waste bags left in the corridor overnight", "hazard", "waste"),
    Case("waste oil drums not labelled and lids off", "hazard", "waste"),
    Case("skip overflowing, rubbish blowing round the yard", "environmental_incident", "waste"),
    Case(
        "fly tipping by the back gate, old fridges and tyres",
        "environmental_incident",
        "waste",
    ),
    # emissions, noise and dust
    Case(
        "loads of dust coming off the stockpile when the wind picks up, neighbours complained",
        "environmental_incident",
        "emissions_noise_dust",
    ),
    Case(
        "dust extraction on the saw not working, dust hanging in the air",
        "hazard",
        "emissions_noise_dust",
    ),
    Case(
        "black smoke from the generator exhaust all morning",
        "environmental_incident",
        "emissions_noise_dust",
    ),
    Case(
        "noise off the breaker is unreal, cant hear yourself think, no signs up",
        "hazard",
        "emissions_noise_dust",
    ),
    Case(
        "strong odour from the effluent plant reaching the car park",
        "environmental_incident",
        "emissions_noise_dust",
    ),
    Case(
        "cutting blocks dry with the stihl saw, no water suppression, silica dust everywhere",
        "hazard",
        "emissions_noise_dust",
    ),
    # ergonomics
    Case("packing bench is too low, everyone bent over all day", "hazard", "ergonomics"),
    Case(
        "new chairs in control room have no back support, staff complaining of neck ache",
        "hazard",
        "ergonomics",
    ),
    Case(
        "repetitive twisting on the labelling station, few of the girls with wrist pain",
        "hazard",
        "ergonomics",
    ),
    Case(
        "monitor at the weighbridge set way too high, neck strain looking up at it",
        "hazard",
        "ergonomics",
    ),
    # confined spaces
    Case(
        "lads went down the manhole without a gas monitor or permit",
        "near_miss",
        "confined_spaces",
    ),
    Case("tank entry done with no standby man at the hatch", "hazard", "confined_spaces"),
    Case("went in the silo to clear blockage, no rescue plan", "near_miss", "confined_spaces"),
    Case(
        "Worker passed out inside the sewer chamber, pulled out by standby, ambulance called",
        "injury",
        "confined_spaces",
        True,
    ),
    # lifting operations
    Case("sling used on the lift was frayed and had no tag", "hazard", "lifting_operations"),
    Case(
        "crane lifting over peoples heads in the yard, no exclusion zone",
        "hazard",
        "lifting_operations",
    ),
    Case(
        "chain block on the gantry out of test, LOLER sticker expired",
        "hazard",
        "lifting_operations",
    ),
    Case(
        "load swung and hit the container door, no tagline used",
        "near_miss",
        "lifting_operations",
    ),
    # dropped and falling objects
    Case(
        "spanner dropped off the 3rd lift and landed next to a labourer",
        "near_miss",
        "dropped_objects",
    ),
    Case(
        "boxes on top of racking overhanging the edge, could fall on someone",
        "hazard",
        "dropped_objects",
    ),
    Case(
        "Struck on head by falling bracket, hard hat took most of it, headache",
        "injury",
        "dropped_objects",
        False,
    ),
    # excavations and buried services
    Case(
        "trench about 2m deep no shoring and lads working in the bottom",
        "hazard",
        "excavations",
    ),
    Case(
        "digger hit an unmarked cable digging by the gatehouse, no CAT scan done before",
        "near_miss",
        "excavations",
    ),
    Case("spoil heap right on the edge of the excavation", "hazard", "excavations"),
    # pressure systems
    Case(
        "air line coupling failed, hose whipping about the workshop",
        "near_miss",
        "pressure_systems",
    ),
    Case("steam leak on the valve at the boiler, hissing loud", "hazard", "pressure_systems"),
    Case(
        "pressure relief valve on the air receiver out of inspection date",
        "hazard",
        "pressure_systems",
    ),
    # hand tools and sharps
    Case(
        "cut thumb on stanley knife opening boxes, plaster put on",
        "injury",
        "hand_tools_sharps",
        False,
    ),
    Case(
        "sharp edge on metal sheet rack sliced through my glove",
        "near_miss",
        "hand_tools_sharps",
    ),
    Case("hammer head loose on the handle in tool store", "hazard", "hand_tools_sharps"),
    # welfare
    Case("no hot water in the toilets for a week", "hazard", "welfare"),
    Case("drinking water fountain broke in the yard in this heat", "hazard", "welfare"),
    # audit evidence
    Case(
        "Audit: fire extinguishers all in date and signed off, photo of the tag",
        "audit_evidence",
        "fire_explosion",
    ),
    Case(
        "COSHH assessments in folder for all products in the stores, checked against shelf",
        "audit_evidence",
        "hazardous_substances",
    ),
    Case(
        "spill kit by the fuel tank fully stocked, checked",
        "audit_evidence",
        "environmental_release",
    ),
    # nothing in the vocabulary should claim these
    Case("side gate left unlocked overnight again", "hazard", "uncategorised"),
    Case("site induction video is out of date", "audit_evidence", "uncategorised"),
]


HELD_OUT = [
    Case(
        "water pooling by the hand dryers in the gents, floor like an ice rink",
        "hazard",
        "slips_trips_falls",
    ),
    Case(
        "Tripped over a pallet strap in goods in, grazed both knees",
        "injury",
        "slips_trips_falls",
        False,
    ),
    Case(
        "roofers on the warehouse roof with no edge protection on the gable end",
        "hazard",
        "work_at_height",
    ),
    Case(
        "scissor lift being used on the slope outside unit 6, outriggers not down",
        "hazard",
        "work_at_height",
    ),
    Case("plug on the site radio smashed, wires hanging out", "hazard", "electrical"),
    Case(
        "Electrician got a shock off the lighting circuit, it was "
        "meant to be isolated. went to hospital to get checked",
        "injury",
        "electrical",
        True,
    ),
    Case("guard on the pillar drill cracked and taped up", "hazard", "machinery"),
    Case(
        "conveyor at the sorting line started up while fitter had his hand in, no lock off",
        "near_miss",
        "machinery",
    ),
    Case(
        "Glove caught on rotating shaft of the "
        "mixer, arm pulled in, fractured forearm, air ambulance",
        "injury",
        "machinery",
        True,
    ),
    Case("drums of sulphuric acid stacked 3 high with no bund", "hazard", "hazardous_substances"),
    Case(
        "cleaner mixed two products and got a cough from the fumes, no sds for the new one",
        "injury",
        "hazardous_substances",
        False,
    ),
    Case("fire door on level 1 wedged open with a fire extinguisher", "hazard", "fire_explosion"),
    Case("acetylene bottle left lying down in the back of the van", "hazard", "fire_explosion"),
    Case(
        "carrying plasterboard sheets up 3 flights on my own, no lift working",
        "hazard",
        "manual_handling",
    ),
    Case(
        "dumper driver going too fast across the compound, no seatbelt on",
        "hazard",
        "vehicles_traffic",
    ),
    Case(
        "Lorry reversed onto the footpath at the gatehouse, pedestrian had to jump out the way",
        "near_miss",
        "vehicles_traffic",
    ),
    Case("lads grinding with no eye protection or face visor", "hazard", "ppe"),
    Case("hard hats left in the van, nobody wearing them on the deck", "hazard", "ppe"),
    Case(
        "corridor to the fire assembly point full of old furniture and boxes",
        "hazard",
        "housekeeping",
    ),
    Case(
        "diesel tank dripping from the hose end, stain on the ground and heading for the gully",
        "environmental_incident",
        "environmental_release",
    ),
    Case(
        "silty water pumped out of the excavation going straight into the river",
        "environmental_incident",
        "environmental_release",
    ),
    Case("hazardous waste (oily rags, aerosol cans) in the general skip", "hazard", "waste"),
    Case(
        "complaint from a resident about noise from the piling rig before 7am",
        "environmental_incident",
        "emissions_noise_dust",
    ),
    Case(
        "lads sweeping concrete dust dry, cloud of it across the site",
        "hazard",
        "emissions_noise_dust",
    ),
    Case(
        "workstation in the QC lab has the screen too "
        "low and no foot rest, users getting back ache",
        "hazard",
        "ergonomics",
    ),
    Case(
        "no confined space permit for the entry into the wet well at the pumping station",
        "hazard",
        "confined_spaces",
    ),
    Case(
        "crane lifting the steel with a sling that had a cut in it", "hazard", "lifting_operations"
    ),
    Case(
        "bricks stacked on the edge of the scaffold lift "
        "with no brick guards, could drop on the footpath",
        "hazard",
        "dropped_objects",
    ),
    Case("excavation left open overnight with no barriers round it", "hazard", "excavations"),
    Case("compressor air receiver has no inspection cert", "hazard", "pressure_systems"),
    Case(
        "Cut hand on a broken glass bottle in the bin, needed stitches at the walk in centre",
        "injury",
        "hand_tools_sharps",
        False,
    ),
    Case("no soap or paper towels in the site cabin toilets all week", "hazard", "welfare"),
    Case(
        "Audit - scaffold inspection register up to date and signed weekly",
        "audit_evidence",
        "work_at_height",
    ),
    Case(
        "Good to see the FLT drivers using the new one way system",
        "good_practice",
        "vehicles_traffic",
    ),
    Case("visitor badge printer not working at reception", "hazard", "uncategorised"),
]
