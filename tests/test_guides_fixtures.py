"""Guide fixtures: each `tests/fixtures/guides/NAME.md` against the `NAME.json` beside it,
which holds what `coach show --json` prints for that guide.

Why: the unit tests check the parser's rules one at a time; these pin its whole output
per guide (name, equipment, aliases, description, each step's title, text and hold
seconds, key points, mistakes), so any change to what the coach would read out shows
up as a diff against a file someone has reviewed. Each fixture is a short guide that
exercises one behaviour; its front matter and text say which.

To add a case, drop in `NAME.md` and generate its JSON with the command, run from the
fixtures folder so that `"file"` is the bare file name (the test compares it relative
to that folder, so no machine's paths are baked in):

    cd tests/fixtures/guides
    ../../../.venv/bin/coach show --json NAME.md \\
        | ../../../.venv/bin/python -m json.tool --no-ensure-ascii > NAME.json

then read `NAME.json` and check that it is what a user would expect. If the parser
gets it wrong, write the right JSON by hand and add `NAME` to `XFAIL` with the reason.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest

from voice.cli import main
from voice.guides.parse import parse_guide

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "guides"
GUIDES = sorted(FIXTURES.glob("*.md"))

# Fixtures whose .json is the right output written by hand, where the parser is wrong.
XFAIL = {
    "pliésquat_bodyweight": (
        "name_from_stem drops non-ASCII letters from a file name: 'Pli Squat', not 'Plié Squat'"
    ),
    "plank_bodyweight": (
        "a hold named by the step's title ('Hold the Plank') ignores the seconds in its text "
        "('... for 45 seconds'): a 2 s default instead of 45"
    ),
}


def _cases() -> list[Any]:
    return [
        pytest.param(
            path,
            id=path.stem,
            marks=[pytest.mark.xfail(strict=True, reason=XFAIL[path.stem])]
            if path.stem in XFAIL
            else [],
        )
        for path in GUIDES
    ]


def _pretty(data: Any) -> list[str]:
    return json.dumps(data, indent=4, ensure_ascii=False).splitlines()


@pytest.mark.parametrize("guide", _cases())
def test_show_json_matches_fixture(capsys: pytest.CaptureFixture[str], guide: Path) -> None:
    status = main(["show", "--json", str(guide)])
    out, err = capsys.readouterr()
    assert (status, err) == (0, ""), f"coach show --json {guide.name} failed: {err}"
    lines = out.splitlines()
    assert len(lines) == 1, f"expected one JSON line for {guide.name}, got {len(lines)}"
    actual = json.loads(lines[0])
    actual["file"] = Path(actual["file"]).relative_to(FIXTURES).as_posix()
    expected_path = guide.with_suffix(".json")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(
                _pretty(expected),
                _pretty(actual),
                f"{expected_path.name} (expected)",
                f"coach show --json {guide.name} (actual)",
                lineterm="",
            )
        )
        pytest.fail(
            f"{guide.name}: output differs from {expected_path.name}\n{diff}", pytrace=False
        )


def test_every_guide_has_its_json_and_every_json_its_guide() -> None:
    guides = {p.stem for p in GUIDES}
    outputs = {p.stem for p in FIXTURES.glob("*.json")}
    assert len(guides) >= 10, f"fixtures missing from {FIXTURES}"
    assert sorted(guides - outputs) == [], "guides without a .json: generate and review it"
    assert sorted(outputs - guides) == [], ".json files without their .md guide"
    assert sorted(set(XFAIL) - guides) == [], "XFAIL names a fixture that does not exist"


# What the JSON does not show: whether each step's hold was stated in the guide or
# filled in by the default, and whether it is per side. (stated, per_side) per step,
# None where a step has no hold.
HOLD_FLAGS: dict[str, list[tuple[bool, bool] | None]] = {
    "glutebridge_bodyweight": [None, None, (False, False), None],
    "wallsit_bodyweight": [None, None, (True, False), None],
    "sideplank_bodyweight": [None, (True, True), None],
    "hollowhold_bodyweight": [None, (True, False), (True, False), None],
    "calfraise_bodyweight": [None, None, None, (True, False), None],
}


@pytest.mark.parametrize(("stem", "flags"), HOLD_FLAGS.items(), ids=list(HOLD_FLAGS))
def test_hold_flags_not_in_the_json(stem: str, flags: list[tuple[bool, bool] | None]) -> None:
    guide = parse_guide(FIXTURES / f"{stem}.md")
    found = [(s.hold.stated, s.hold.per_side) if s.hold else None for s in guide.steps]
    assert found == flags
