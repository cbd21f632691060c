"""The library: loading folders (bad guides skipped and reported) and finding a guide
by what a person says."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice.errors import GuideError
from voice.guides.library import Library, default_exercise_dirs, load_library, spoken_key
from voice.guides.loading import parse_many
from voice.guides.model import Guide

STEPS = "<!-- howto -->\n### One\nStand.\n### Two\nSquat down.\n### Three\nStand up.\n"


def guide_text(title: str | None = None, aliases: str | None = None) -> str:
    front = ["description: A test exercise."]
    if title:
        front.append(f"title: {title}")
    if aliases:
        front.append(f"aliases: {aliases}")
    return "---\n" + "\n".join(front) + "\n---\n" + STEPS


def write(folder: Path, name: str, text: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(guide_text() if text is None else text)
    return path


@pytest.fixture
def library(tmp_path: Path) -> Library:
    for name in [
        "hipthrust_bodyweight.md",
        "hipthrust_barbell.md",
        "calfraise_bodyweight.md",
        "standingcalfraise_dumbbell.md",
        "pushup_bodyweight.md",
        "benchpress_barbell.md",
        "squat_bodyweight.md",
    ]:
        write(tmp_path, name)
    write(tmp_path, "wallsit_bodyweight.md", guide_text(aliases="[wall squat, chair pose]"))
    result = load_library([tmp_path])
    assert result.errors == []
    return result.library


def test_bundled_folder_loads_cleanly() -> None:
    result = load_library()
    assert result.errors == []
    assert len(result.library.guides) >= 31
    assert result.library.get("hipthrust_bodyweight") is not None
    assert default_exercise_dirs()[0].name == "exercises"


@pytest.mark.parametrize(
    ("spoken", "guide_id"),
    [
        ("bodyweight hip thrust", "hipthrust_bodyweight"),
        ("Barbell Hip-Thrusts", "hipthrust_barbell"),
        ("hip thrust with a barbell", "hipthrust_barbell"),
        ("calf raise", "calfraise_bodyweight"),
        ("calf raises", "calfraise_bodyweight"),
        ("CALF-RAISES!", "calfraise_bodyweight"),
        ("push-ups", "pushup_bodyweight"),
        ("pushups", "pushup_bodyweight"),
        ("push up", "pushup_bodyweight"),
        ("bench presses", "benchpress_barbell"),
        ("wall squat", "wallsit_bodyweight"),
        ("chair pose", "wallsit_bodyweight"),
        ("bodyweight wall squats", "wallsit_bodyweight"),
        ("squats", "squat_bodyweight"),
        ("standing calf raise", "standingcalfraise_dumbbell"),
        ("wallsit_bodyweight", "wallsit_bodyweight"),
        ("bench prss", "benchpress_barbell"),  # a light typo
        ("standing calf riase", "standingcalfraise_dumbbell"),
    ],
)
def test_find_one_guide(library: Library, spoken: str, guide_id: str) -> None:
    match = library.find(spoken)
    assert match.guide is not None and match.guide.id == guide_id
    assert match.variants == () and match.found


def test_one_name_several_equipment_is_a_group(library: Library) -> None:
    match = library.find("hip thrusts")
    assert match.guide is None and match.found
    assert [g.equipment for g in match.variants] == ["barbell", "bodyweight"]
    assert [g.id for g in library.groups()["Hip Thrust"]] == [
        "hipthrust_barbell",
        "hipthrust_bodyweight",
    ]


def test_equipment_not_in_the_library_offers_the_variants(library: Library) -> None:
    for spoken in ("kettlebell hip thrust", "hip thrust with a kettlebell"):
        match = library.find(spoken)
        assert [g.id for g in match.variants] == ["hipthrust_barbell", "hipthrust_bodyweight"]
    match = library.find("hip thrust bodyweight")
    assert match.guide is not None and match.guide.id == "hipthrust_bodyweight"


def test_unknown_name_gets_suggestions(library: Library) -> None:
    match = library.find("calf stretch")
    assert not match.found and match.guide is None
    assert "Calf Raise" in match.suggestions
    assert library.find("").suggestions == ()
    assert not library.find("xyzzy quux").found


def test_spoken_names_cover_every_guide_and_match_find(library: Library) -> None:
    phrases = library.spoken_names()
    assert phrases["hip thrust"] == ("hipthrust_barbell", "hipthrust_bodyweight")
    assert phrases["bodyweight hip thrust"] == ("hipthrust_bodyweight",)
    assert phrases["calf raises"] == ("calfraise_bodyweight",)
    assert phrases["wall squat"] == ("wallsit_bodyweight",)
    covered = {i for ids in phrases.values() for i in ids}
    assert covered == {g.id for g in library.guides}
    for phrase, ids in phrases.items():
        assert phrase == " ".join(phrase.split()) and phrase == phrase.lower()
        match = library.find(phrase)
        assert match.found, phrase
        found = (match.guide.id,) if match.guide else tuple(g.id for g in match.variants)
        assert set(found) == set(ids), phrase


def test_spoken_key_ignores_case_punctuation_plurals_and_spaces() -> None:
    assert spoken_key("Push-Ups") == spoken_key("push up") == spoken_key("pushup")
    assert spoken_key("bench presses") == spoken_key("Bench Press")
    assert spoken_key("crunches") == spoken_key("crunch")


# --- loading problems ----------------------------------------------------------------------


def test_bad_guides_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    good = write(tmp_path, "plank_bodyweight.md")
    write(tmp_path, "empty_bodyweight.md", "")
    (tmp_path / "binary_band.md").write_bytes(b"\x00\x01\x02")
    write(tmp_path, "yaml_bodyweight.md", "---\n- a list\n---\n" + STEPS)
    write(tmp_path, "nosteps_bodyweight.md", "## Tips\n- Breathe.\n")
    write(tmp_path, "README.md", "# not a guide")
    write(tmp_path, "notes.txt", "not markdown")
    result = load_library([tmp_path])
    assert [g.path for g in result.library.guides] == [good]
    assert sorted(Path(e.path).name for e in result.errors) == [
        "binary_band.md",
        "empty_bodyweight.md",
        "nosteps_bodyweight.md",
        "yaml_bodyweight.md",
    ]
    assert all("\n" not in str(e) for e in result.errors)


def test_duplicate_ids_in_two_folders(tmp_path: Path) -> None:
    first = write(tmp_path / "a", "plank_bodyweight.md")
    second = write(tmp_path / "b", "plank_bodyweight.md")
    write(tmp_path / "b", "squat_bodyweight.md")
    result = load_library([tmp_path / "a", tmp_path / "b"])
    assert [g.id for g in result.library.guides] == ["plank_bodyweight", "squat_bodyweight"]
    assert result.library.get("plank_bodyweight").path == first  # type: ignore[union-attr]
    (error,) = result.errors
    assert error.path == str(second) and "duplicate id 'plank_bodyweight'" in error.message


def test_symlink_loop_in_a_guides_folder(tmp_path: Path) -> None:
    write(tmp_path / "guides", "plank_bodyweight.md")
    write(tmp_path / "guides" / "more", "squat_bodyweight.md")
    (tmp_path / "guides" / "more" / "back").symlink_to(tmp_path / "guides")
    (tmp_path / "guides" / "self_bodyweight.md").symlink_to(
        tmp_path / "guides" / "self_bodyweight.md"
    )
    result = load_library([tmp_path / "guides"])
    assert sorted(g.id for g in result.library.guides) == ["plank_bodyweight", "squat_bodyweight"]
    by_name = {Path(e.path).name: e.message for e in result.errors}
    assert by_name["back"].startswith("symlink loop: links back to a folder above it")
    assert by_name["self_bodyweight.md"] == "cannot read: symlink loop"
    assert len(result.errors) == 2


def test_one_folder_linked_twice_loads_once(tmp_path: Path) -> None:
    write(tmp_path / "real", "plank_bodyweight.md")
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "a").symlink_to(tmp_path / "real")
    (tmp_path / "root" / "b").symlink_to(tmp_path / "real")
    result = load_library([tmp_path / "root"])
    assert [g.id for g in result.library.guides] == ["plank_bodyweight"]
    (error,) = result.errors
    assert "already searched" in error.message and error.path.endswith("b")


def test_missing_folder_and_file_paths(tmp_path: Path) -> None:
    single = write(tmp_path, "plank_bodyweight.md")
    result = load_library([tmp_path / "nowhere", single])
    assert [g.id for g in result.library.guides] == ["plank_bodyweight"]
    (error,) = result.errors
    assert error.path == str(tmp_path / "nowhere") and "no such" in error.message


def test_default_hold_reaches_every_guide(tmp_path: Path) -> None:
    write(tmp_path, "x_bodyweight.md", STEPS.replace("Stand up.", "Stand up and hold briefly."))
    guide = load_library([tmp_path], default_hold_s=3.0).library.guides[0]
    assert guide.steps[2].hold is not None and guide.steps[2].hold.seconds == 3.0


def test_parsing_in_worker_processes_matches_parsing_here(tmp_path: Path) -> None:
    for index in range(12):
        write(tmp_path, f"move{index}_bodyweight.md")
    write(tmp_path, "broken_bodyweight.md", "---\n[\n---\n")
    paths = sorted(tmp_path.glob("*.md"))
    here = parse_many(paths, workers=1)
    forked = parse_many(paths, workers=2)
    assert [type(x) for x in forked] == [type(x) for x in here]
    assert [x.id for x in forked if isinstance(x, Guide)] == [
        x.id for x in here if isinstance(x, Guide)
    ]
    assert [x.steps for x in forked if isinstance(x, Guide)] == [
        x.steps for x in here if isinstance(x, Guide)
    ]
    (error,) = [x for x in forked if isinstance(x, GuideError)]
    assert error.path == str(tmp_path / "broken_bodyweight.md") and error.line is not None
