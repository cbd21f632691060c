"""Spoken names from file names: each of the sample's stems reads as a person says it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voice.guides.names import equipment_name, name_from_stem, split_words
from voice.guides.parse import parse_guide

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "liftosaur-sample"

# What a person says for each exercise stem of ../shared/liftosaur-sample (names only).
EXPECTED_SAMPLE_NAMES = {
    "abwheel": "Ab Wheel",
    "arnoldpress": "Arnold Press",
    "backextension": "Back Extension",
    "battleropes": "Battle Ropes",
    "behindtheneckpress": "Behind The Neck Press",
    "benchpress": "Bench Press",
    "benchpressclosegrip": "Bench Press Close Grip",
    "benchpresswidegrip": "Bench Press Wide Grip",
    "bentoverrow": "Bent Over Row",
    "bicepcurl": "Bicep Curl",
    "boxsquat": "Box Squat",
    "bulgariansplitsquat": "Bulgarian Split Squat",
    "cablekickback": "Cable Kickback",
    "cabletwist": "Cable Twist",
    "chestdip": "Chest Dip",
    "chestfly": "Chest Fly",
    "chestpress": "Chest Press",
    "clean": "Clean",
    "concentrationcurl": "Concentration Curl",
    "copenhagenplank": "Copenhagen Plank",
    "crunch": "Crunch",
    "deadhang": "Dead Hang",
    "deadlift": "Deadlift",
    "declinebenchpress": "Decline Bench Press",
    "deficitdeadlift": "Deficit Deadlift",
    "ellipticalmachine": "Elliptical Machine",
    "flatlegraise": "Flat Leg Raise",
    "frontraise": "Front Raise",
    "frontsquat": "Front Squat",
    "glutebridge": "Glute Bridge",
    "glutebridgemarch": "Glute Bridge March",
    "gobletsquat": "Goblet Squat",
    "goodmorning": "Good Morning",
    "hacksquat": "Hack Squat",
    "hammercurl": "Hammer Curl",
    "hangclean": "Hang Clean",
    "hanginglegraise": "Hanging Leg Raise",
    "hipabductor": "Hip Abductor",
    "hipthrust": "Hip Thrust",
    "inclinebenchpress": "Incline Bench Press",
    "inclinechestfly": "Incline Chest Fly",
    "inclinechestpress": "Incline Chest Press",
    "inclinerow": "Incline Row",
    "jackknifesitup": "Jackknife Sit Up",
    "kettlebellswing": "Kettlebell Swing",
    "kneepushup": "Knee Push Up",
    "lateralraise": "Lateral Raise",
    "legextension": "Leg Extension",
    "legpress": "Leg Press",
    "lunge": "Lunge",
    "lyingbicepcurl": "Lying Bicep Curl",
    "lyinglegcurl": "Lying Leg Curl",
    "negativepullup": "Negative Pull Up",
    "overheadpress": "Overhead Press",
    "overheadsquat": "Overhead Squat",
    "pecdeck": "Pec Deck",
    "pistolsquat": "Pistol Squat",
    "plank": "Plank",
    "preachercurl": "Preacher Curl",
    "pullover": "Pullover",
    "pullup": "Pull Up",
    "pushpress": "Push Press",
    "pushup": "Push Up",
    "reversecrunch": "Reverse Crunch",
    "reversecurl": "Reverse Curl",
    "reversefly": "Reverse Fly",
    "reversehyperextension": "Reverse Hyperextension",
    "reverselunge": "Reverse Lunge",
    "reversewristcurl": "Reverse Wrist Curl",
    "ringdip": "Ring Dip",
    "romaniandeadlift": "Romanian Deadlift",
    "russiantwist": "Russian Twist",
    "scapularpullup": "Scapular Pull Up",
    "seatedcalfraise": "Seated Calf Raise",
    "seatedlegcurl": "Seated Leg Curl",
    "seatedpalmsupwristcurl": "Seated Palms Up Wrist Curl",
    "seatedrow": "Seated Row",
    "shoulderpress": "Shoulder Press",
    "shrug": "Shrug",
    "sidebend": "Side Bend",
    "sidecrunch": "Side Crunch",
    "sidehipabductor": "Side Hip Abductor",
    "sidelyingclam": "Side Lying Clam",
    "singlelegdeadlift": "Single Leg Deadlift",
    "singlelegglutebridgebentknee": "Single Leg Glute Bridge Bent Knee",
    "singleleghipthrust": "Single Leg Hip Thrust",
    "situp": "Sit Up",
    "skullcrusher": "Skullcrusher",
    "snatch": "Snatch",
    "splitsquat": "Split Squat",
    "squat": "Squat",
    "standingcalfraise": "Standing Calf Raise",
    "standingrowclosegrip": "Standing Row Close Grip",
    "standingrowvbar": "Standing Row V Bar",
    "stepup": "Step Up",
    "stifflegdeadlift": "Stiff Leg Deadlift",
    "straightlegdeadlift": "Straight Leg Deadlift",
    "sumodeadlift": "Sumo Deadlift",
    "superman": "Superman",
    "thruster": "Thruster",
    "tricepsdip": "Triceps Dip",
    "tricepsextension": "Triceps Extension",
    "tricepspushdown": "Triceps Pushdown",
    "uprightrow": "Upright Row",
    "verticalrow": "Vertical Row",
    "vup": "V Up",
    "widepullup": "Wide Pull Up",
    "wristcurl": "Wrist Curl",
    "zerchersquat": "Zercher Squat",
}


@pytest.mark.parametrize(
    ("stem", "name", "equipment"),
    [
        ("hipthrust_bodyweight", "Hip Thrust", "bodyweight"),
        ("arnoldpress_dumbbell", "Arnold Press", "dumbbell"),
        ("aroundtheworld_dumbbell", "Around The World", "dumbbell"),
        ("goodmorning_barbell", "Good Morning", "barbell"),
        ("birddog_bodyweight", "Bird Dog", "bodyweight"),
        ("mountainclimber_bodyweight", "Mountain Climber", "bodyweight"),
        ("pushup_bodyweight", "Push Up", "bodyweight"),
        ("vup_dumbbell", "V Up", "dumbbell"),
        ("preachercurl_ezbar", "Preacher Curl", "ez bar"),
        ("legpress_smith", "Leg Press", "smith machine"),
        ("seatedrow_leveragemachine", "Seated Row", "leverage machine"),
        ("deficitdeadlift_trapbar", "Deficit Deadlift", "trap bar"),
        ("wall-sit_bodyweight", "Wall Sit", "bodyweight"),
        ("plank", "Plank", ""),
        ("hipflexorstretch_bodyweight", "Hip Flexor Stretch", "bodyweight"),
        ("pallofpress_band", "Pallof Press", "band"),
        ("turkishgetup_kettlebell", "Turkish Get Up", "kettlebell"),
        ("worldsgreateststretch_bodyweight", "Worlds Greatest Stretch", "bodyweight"),
        ("kneetochest_bodyweight", "Knee To Chest", "bodyweight"),
    ],
)
def test_name_from_stem(stem: str, name: str, equipment: str) -> None:
    assert name_from_stem(stem) == (name, equipment)


def test_unknown_words_survive_whole() -> None:
    assert split_words("zercher") == ["zercher"]
    assert name_from_stem("xqzt_band") == ("Xqzt", "band")


def test_equipment_name() -> None:
    assert equipment_name("leveragemachine") == "leverage machine"
    assert equipment_name("kettlebell") == "kettlebell"


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="../shared/liftosaur-sample is absent")
def test_every_sample_name_reads_as_spoken() -> None:
    stems = sorted(p.stem for p in SAMPLE.glob("*_*.md"))
    assert len(stems) == 122
    wrong = {
        stem: name_from_stem(stem)[0]
        for stem in stems
        if name_from_stem(stem)[0] != EXPECTED_SAMPLE_NAMES[stem.split("_")[0]]
    }
    assert wrong == {}


def test_front_matter_title_and_aliases_win(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Glute Bridge Hold\naliases: [bridge hold, hip bridge]\n---\n"
        "<!-- howto -->\n### Lie Down\nLie on your back.\n### Lift\nLift your hips.\n"
        "### Hold\nHold for 20 seconds.\n"
    )
    guide = parse_guide(tmp_path / "gbh_bodyweight.md", text)
    assert guide.name == "Glute Bridge Hold"
    assert guide.aliases == ("bridge hold", "hip bridge")
    assert guide.equipment == "bodyweight"


@given(st.text(max_size=60))
def test_any_stem_gives_a_name(stem: str) -> None:
    name, equipment = name_from_stem(stem)
    assert isinstance(name, str) and isinstance(equipment, str)
    assert "\n" not in name or "\n" in stem
