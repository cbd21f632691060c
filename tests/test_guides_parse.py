"""The guide parser on the seed, the sample of guides in the wild, hand-written
variants, and bad input (each a one-line GuideError naming file and line)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voice.errors import GuideError
from voice.guides.library import default_exercise_dirs
from voice.guides.model import Guide, Role
from voice.guides.parse import MAX_GUIDE_BYTES, parse_guide

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "liftosaur-sample"
SEED = default_exercise_dirs()[0] / "hipthrust_bodyweight.md"

HOWTO = """
<!-- howto -->

### Get Ready
Stand tall with your feet apart.

### Go Down
Bend your knees and sit back.

### Come Up
Push the floor away and stand.
"""


def parse(text: str, name: str = "squat_bodyweight.md") -> Guide:
    return parse_guide(Path(name), text)


# --- the seed and the sample ------------------------------------------------------------


def test_seed_parses_with_its_steps_sections_and_vague_hold() -> None:
    guide = parse_guide(SEED)
    assert (guide.id, guide.name, guide.equipment) == (
        "hipthrust_bodyweight",
        "Hip Thrust",
        "bodyweight",
    )
    assert [s.title for s in guide.steps] == [
        "Position Against the Bench",
        "Engage Your Core",
        "Drive Your Hips Up",
        "Lower with Control",
    ]
    drive = guide.steps[2]
    assert drive.hold is not None
    assert (drive.hold.seconds, drive.hold.stated) == (2.0, False)
    assert [s.hold for i, s in enumerate(guide.steps) if i != 2] == [None, None, None]
    assert [(s.title, s.role) for s in guide.sections] == [
        ("Starting Position", Role.SETUP),
        ("Movement", Role.MOVEMENT),
        ("Lowering", Role.MOVEMENT),
        ("Key Points", Role.KEY_POINTS),
        ("Common Mistakes", Role.MISTAKES),
    ]
    assert guide.sections[1].items[0].startswith("Engage Core: Tighten")
    assert len(guide.key_points) == 4 and len(guide.mistakes) == 3
    assert guide.video and guide.description.startswith("Activate")
    # Step lines are the file's lines of each `### Title`.
    lines = SEED.read_text().splitlines()
    assert all(lines[s.line - 1] == f"### {s.title}" for s in guide.steps)


def test_seed_default_hold_is_configurable() -> None:
    guide = parse_guide(SEED, default_hold_s=4.0)
    assert guide.steps[2].hold is not None and guide.steps[2].hold.seconds == 4.0


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="../shared/liftosaur-sample is absent")
def test_every_sample_guide_parses_with_three_or_more_steps() -> None:
    paths = sorted(SAMPLE.glob("*_*.md"))
    assert len(paths) == 122
    for path in paths:
        guide = parse_guide(path)
        assert len(guide.steps) >= 3, path
        assert all(s.title and s.text for s in guide.steps), path
        assert all("**" not in s.text and "](" not in s.text for s in guide.steps), path
        assert guide.sections, path
        assert not any("By following" in s.text for s in guide.steps), path


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="../shared/liftosaur-sample is absent")
def test_sample_sections_get_roles_by_meaning() -> None:
    roles: dict[str, set[Role]] = {}
    for path in SAMPLE.glob("*_*.md"):
        for section in parse_guide(path).sections:
            roles.setdefault(section.title, set()).add(section.role)
    assert roles["Setup"] == {Role.SETUP}
    assert roles["Starting Position"] == {Role.SETUP}
    assert roles["Execution"] == {Role.MOVEMENT}
    assert roles["Tips"] == {Role.KEY_POINTS}
    assert roles["Key Points"] == {Role.KEY_POINTS}
    assert roles["Common Mistakes"] == {Role.MISTAKES}
    assert roles["Breathing"] == {Role.OTHER}


# --- variants found in the wild, in our own words ------------------------------------------


def test_bold_label_sections_and_labelled_items() -> None:
    text = (
        "**Setup:**\n"
        "1. Stand with feet **hip-width** apart.\n\n"
        "**Execution:**\n"
        "1. **Sit Back**: Push your hips back as if into a chair.\n"
        "2. **Stand Up:** Drive through your heels.\n\n"
        "**Tips:**\n- Keep your `chest` up, see [the video](https://example.com).\n\n"
        "Doing this well builds strong legs.\n" + HOWTO
    )
    guide = parse(text)
    assert [(s.title, s.role) for s in guide.sections] == [
        ("Setup", Role.SETUP),
        ("Execution", Role.MOVEMENT),
        ("Tips", Role.KEY_POINTS),
    ]
    assert guide.sections[0].items == ("Stand with feet hip-width apart.",)
    assert guide.sections[1].items == (
        "Sit Back: Push your hips back as if into a chair.",
        "Stand Up: Drive through your heels.",
    )
    assert guide.key_points == ("Keep your chest up, see the video.",)
    assert len(guide.steps) == 3
    assert guide.description == "Doing this well builds strong legs."


def test_h3_sections_and_nested_lists() -> None:
    text = (
        "### Phases\n"
        "1. **Lowering:**\n   - Bend the knees.\n   - Keep the back flat.\n"
        "2. **Rising:**\n   - Stand up.\n" + HOWTO
    )
    guide = parse(text)
    assert guide.sections[0].items == (
        "Lowering: Bend the knees. Keep the back flat.",
        "Rising: Stand up.",
    )


def test_no_marker_takes_steps_from_numbered_setup_and_movement() -> None:
    text = (
        "## Starting Position\n1. Lie on your back.\n2. Bend your knees.\n\n"
        "## Movement\n1. **Lift**: Raise your hips and hold for 10 seconds.\n"
        "2. Lower slowly.\n\n"
        "## Common Mistakes\n- Arching the back.\n\n"
        "By following this guide you will get stronger.\n"
    )
    guide = parse(text, "glutebridge_bodyweight.md")
    assert [s.title for s in guide.steps] == [
        "Starting Position",
        "Starting Position",
        "Lift",
        "Movement",
    ]
    assert guide.steps[2].text == "Raise your hips and hold for 10 seconds."
    assert guide.steps[2].hold is not None and guide.steps[2].hold.seconds == 10
    assert guide.steps[0].line == 2
    assert guide.mistakes == ("Arching the back.",)
    assert not any("following" in s.text for s in guide.steps)


def test_howto_paragraphs_join_and_title_hold() -> None:
    text = "<!-- howto -->\n### Hold at the Top\nKeep still.\n\nBreathe.\n### B\nb.\n### C\nc.\n"
    guide = parse(text)
    assert guide.steps[0].text == "Keep still. Breathe."
    assert guide.steps[0].hold is not None and not guide.steps[0].hold.stated


def test_quotes_rules_and_fences_are_read_as_plain_text() -> None:
    text = (
        "## Setup\n> 1. Stand tall.\n> 2. **Brace**: tighten up.\n\n---\n\n"
        "## Tips\n```\nbreathe out\n```\n***\n" + HOWTO
    )
    guide = parse(text)
    assert guide.sections[0].items == ("Stand tall.", "Brace: tighten up.")
    assert guide.key_points == ("breathe out",)
    lines = text.splitlines()
    assert [lines[s.line - 1] for s in guide.steps] == [
        "### Get Ready",
        "### Go Down",
        "### Come Up",
    ]


def test_missing_description_falls_back_to_first_sentence() -> None:
    guide = parse("A squat for everyone. It is simple.\n" + HOWTO)
    assert guide.description == "A squat for everyone."
    guide = parse("# Squat\n\nSit down, stand up. Repeat.\n\n## Tips\n- Breathe.\n" + HOWTO)
    assert guide.description == "Sit down, stand up."
    assert [s.title for s in guide.sections] == ["Tips"]


def test_unicode_and_bom_are_fine() -> None:
    guide = parse("\ufeff---\ndescription: Café squat \u2013 easy\n---\n" + HOWTO)
    assert guide.description == "Café squat \u2013 easy"


# --- bad input ---------------------------------------------------------------------------


def error_of(path: Path, text: str | None = None) -> GuideError:
    with pytest.raises(GuideError) as info:
        parse_guide(path, text)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return info.value


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty_bodyweight.md"
    path.write_text("  \n\n")
    assert "empty" in error_of(path).message


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "blob_bodyweight.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64))
    assert "binary" in error_of(path).message


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin_bodyweight.md"
    path.write_bytes(b"---\ndescription: ok\n---\nCaf\xe9 squat\n")
    error = error_of(path)
    assert "UTF-8" in error.message and error.line == 4


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken_bodyweight.md"
    path.write_text('---\nvideo: "abc\ndescription: [unclosed\n---\n' + HOWTO)
    error = error_of(path)
    assert "YAML" in error.message and error.line is not None and 2 <= error.line <= 4


def test_unclosed_front_matter(tmp_path: Path) -> None:
    assert "never closed" in error_of(tmp_path / "x.md", "---\nvideo: x\n" + HOWTO).message


@pytest.mark.parametrize("front", ["- a\n- b\n", "just a string\n", "42\n"])
def test_front_matter_must_be_a_mapping(tmp_path: Path, front: str) -> None:
    error = error_of(tmp_path / "x_band.md", f"---\n{front}---\n{HOWTO}")
    assert "key: value" in error.message and error.line == 2


def test_front_matter_field_types(tmp_path: Path) -> None:
    error = error_of(tmp_path / "x.md", f"---\nvideo: x\ndescription: [a, b]\n---\n{HOWTO}")
    assert "'description'" in error.message and error.line == 3
    assert "aliases" in error_of(tmp_path / "y.md", f"---\naliases: {{a: 1}}\n---\n{HOWTO}").message


def test_no_marker_and_no_numbered_steps(tmp_path: Path) -> None:
    text = "## Tips\n- Breathe.\n\nJust some prose.\n"
    assert "no numbered steps" in error_of(tmp_path / "tips_bodyweight.md", text).message


def test_marker_without_steps_names_its_line(tmp_path: Path) -> None:
    error = error_of(tmp_path / "x.md", "Intro.\n\n<!-- howto -->\n\nNothing here.\n")
    assert "howto" in error.message and error.line == 3


def test_huge_file_refused_by_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge_bodyweight.md"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing to read
    error = error_of(path)
    assert "MB" in error.message
    with pytest.raises(GuideError):
        parse_guide(path, "x" * (MAX_GUIDE_BYTES + 1))


def test_directory_and_missing_path(tmp_path: Path) -> None:
    assert "directory" in error_of(tmp_path).message
    assert "no such file" in error_of(tmp_path / "missing_band.md").message


def test_symlink_loop_as_a_file(tmp_path: Path) -> None:
    loop = tmp_path / "loop_bodyweight.md"
    loop.symlink_to(loop)
    assert "symlink loop" in error_of(loop).message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_gives_a_guide_or_a_guide_error(text: str) -> None:
    try:
        guide = parse_guide(Path("any_bodyweight.md"), text)
    except GuideError as error:
        assert "\n" not in str(error)
    else:
        assert guide.steps


MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            "---\n",
            "video: x\n",
            "title: [\n",
            "- a\n",
            "1. **Lift**: up\n",
            "### Step\n",
            "## Setup\n",
            "**Tips:**\n",
            "<!-- howto -->\n",
            "Hold for 30 seconds.\n",
            "\n",
            "> quote\n",
            "```\ncode\n",
            "   - nested\n",
            "Pause briefly.\n",
            "\x00",
            "description: |\n",
            "---\n",
            "> **Setup:**\n",
            "```\n",
            "***\n",
            "  text\n",
            "aliases: 3\n",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(MARKDOWNISH)
def test_guide_like_text_gives_a_guide_or_a_guide_error(text: str) -> None:
    try:
        parse_guide(Path("any_bodyweight.md"), text)
    except GuideError as error:
        assert "\n" not in str(error)
