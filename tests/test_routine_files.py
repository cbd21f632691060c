"""Routine files: parsing and checking (each bad input a one-line error naming file and
line), resolving against the library (variants, unknown names, includes, cycles),
the library's routine lookup and spoken names, and the bundled routines."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from types import FrameType

import pytest

from voice.errors import GuideError, RoutineError
from voice.guides.library import Library, default_exercise_dirs, load_library
from voice.guides.loading import parse_file, parse_many
from voice.routines.model import DEFAULT_TEMPO, MAX_ITEMS, Routine, RoutineItem, Tempo
from voice.routines.parse import DEFAULT_REST_S, RoutineDraft, is_routine, parse_routine
from voice.routines.plan import estimate_s
from voice.routines.resolve import resolve_routine, resolve_routines

ROOT = Path(__file__).resolve().parents[1]
STEPS = "<!-- howto -->\n### One\nStand.\n### Two\nHold for 20 seconds.\n### Three\nRelax.\n"
GUIDES = [
    "wallsit_bodyweight",
    "calfraise_bodyweight",
    "sideplank_bodyweight",
    "hipthrust_bodyweight",
    "hipthrust_dumbbell",
]
GOOD = """---
title: Morning Mobility
aliases: [morning routine]
rest_s: 20
exercises:
  - exercise: wall sit
    sets: 2
    hold_s: 30
  - exercise: calf raise
    sets: 2
    reps: 10
    tempo: 2-1
  - exercise: side plank
    hold_s: 20
    each_side: true
    rest_s: 10
---
Free notes in **markdown**.

A second paragraph.
"""


def routine_text(items: str, head: str = "title: Test Routine\n") -> str:
    """A routine file whose `exercises:` list is `items` (YAML lines, indented)."""
    return f"---\n{head}exercises:\n{items}---\nNotes.\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def guides(tmp_path: Path) -> Path:
    folder = tmp_path / "guides"
    for stem in GUIDES:
        write(folder, f"{stem}.md", f"---\ndescription: {stem}.\n---\n{STEPS}")
    return folder


@pytest.fixture
def library(guides: Path) -> Library:
    result = load_library([guides])
    assert result.errors == []
    return result.library


def draft(text: str, name: str = "test_routine.md") -> RoutineDraft:
    return parse_routine(Path(name), text)


def exercises(read: RoutineDraft) -> list[RoutineItem]:
    """A draft's entries, every one an exercise (no includes)."""
    items = [i for i in read.items if isinstance(i, RoutineItem)]
    assert len(items) == len(read.items)
    return items


def error_of(text: str, name: str = "bad.md") -> RoutineError:
    with pytest.raises(RoutineError) as caught:
        parse_routine(Path(name), text)
    return caught.value


# --- parsing ------------------------------------------------------------------------


def test_a_routine_is_read_with_its_lines() -> None:
    read = draft(GOOD)
    assert (read.id, read.title, read.aliases, read.rest_s) == (
        "test_routine",
        "Morning Mobility",
        ("morning routine",),
        20.0,
    )
    wall, calf, side = exercises(read)
    assert (wall.exercise, wall.sets, wall.hold_s, wall.reps, wall.line) == (
        "wall sit",
        2,
        30,
        None,
        6,
    )
    assert (calf.reps, calf.tempo, calf.line) == (10, Tempo((2.0, 1.0)), 9)
    assert (side.each_side, side.rest_s, side.sets, side.line) == (True, 10.0, 1, 13)
    assert read.notes == "Free notes in markdown.\n\nA second paragraph."


def test_defaults_and_a_title_from_the_file_name() -> None:
    read = draft("---\nexercises:\n  - exercise: squat\n    reps: 5\n---\n", "leg_day.md")
    assert read.title == "Leg Day" and read.aliases == () and read.rest_s == DEFAULT_REST_S
    (item,) = exercises(read)
    assert (item.sets, item.tempo, item.each_side, item.rest_s) == (1, DEFAULT_TEMPO, False, None)


def test_lines_count_from_the_file_with_crlf_and_a_byte_order_mark() -> None:
    text = "\ufeff" + GOOD.replace("\n", "\r\n")
    assert is_routine(text)
    assert [i.line for i in draft(text).items] == [6, 9, 13]


@pytest.mark.parametrize(
    ("tempo", "phases"),
    [("2-1", (2.0, 1.0)), ("3", (3.0,)), ("1.5", (1.5,)), ("3-1-1", (3.0, 1.0, 1.0)),
     ("2 - 0 - 2 - 0", (2.0, 0.0, 2.0, 0.0))],
)  # fmt: skip
def test_tempo_forms(tempo: str, phases: tuple[float, ...]) -> None:
    (item,) = exercises(
        draft(routine_text(f"  - exercise: squat\n    reps: 5\n    tempo: {tempo}\n"))
    )
    assert item.tempo.phases == phases


def test_is_routine_only_with_a_top_level_exercises_key() -> None:
    assert is_routine(GOOD)
    assert not is_routine("---\ntitle: Squat\n---\n" + STEPS)
    assert not is_routine("---\nnotes:\n  exercises: 3\n---\n" + STEPS)
    assert not is_routine("exercises: not front matter\n")


TEMPO_FORMS = "'tempo' must be seconds per rep (3) or per phase (2-1, 3-1-1), not"
EXERCISE_KEYS = "exercise, sets, reps, hold_s, tempo, each_side, rest_s"
REP_RANGE = "a rep takes 0.5 to 20 s"
ITEM_LINE = 4
"""The line of the first item's first key in `routine_text`."""

BAD_ITEMS = [
    ("    sets: 10000\n    reps: 5\n", 5, "'sets' must be 1 to 20, not 10000"),
    ("    sets: true\n    reps: 5\n", 5, "'sets' must be a whole number, not true"),
    ("    sets: three\n    reps: 5\n", 5, "'sets' must be a whole number, not 'three'"),
    ("    sets: 0\n    reps: 5\n", 5, "'sets' must be 1 to 20, not 0"),
    ("    sets: 2.5\n    reps: 5\n", 5, "'sets' must be a whole number, not 2.5"),
    ("    reps: 101\n", 5, "'reps' must be 1 to 100, not 101"),
    ("    reps: 0\n", 5, "'reps' must be 1 to 100, not 0"),
    ("    reps: [5]\n", 5, "'reps' must be a whole number, not a list"),
    ("    hold_s: 0.5\n", 5, "'hold_s' must be 1 to 600 seconds, not 0.5"),
    ("    hold_s: 601\n", 5, "'hold_s' must be 1 to 600 seconds, not 601"),
    ("    hold_s: long\n", 5, "'hold_s' must be a number of seconds, not 'long'"),
    ("    hold_s: false\n", 5, "'hold_s' must be a number of seconds, not false"),
    ("    hold_s: .nan\n", 5, "'hold_s' must be 1 to 600 seconds, not nan"),
    ("    reps: 5\n    hold_s: 30\n", 6, "give reps or hold_s, not both"),
    ("    sets: 2\n", ITEM_LINE, "give reps or hold_s"),
    ("    hold_s: 30\n    tempo: 2-1\n", 6, "'tempo' goes with reps, not with hold_s"),
    ("    reps: 5\n    tempo: -2\n", 6, "tempo -2: each phase must be 0 to 10 seconds"),
    ("    reps: 5\n    tempo: -2-1\n", 6, f"{TEMPO_FORMS} '-2-1'"),
    ("    reps: 5\n    tempo: 11-1\n", 6, "tempo 11-1: each phase must be 0 to 10 seconds"),
    ("    reps: 5\n    tempo: 0-0\n", 6, f"tempo 0-0 makes a rep of 0 s; {REP_RANGE}"),
    ("    reps: 5\n    tempo: 9-9-3\n", 6, f"tempo 9-9-3 makes a rep of 21 s; {REP_RANGE}"),
    ("    reps: 5\n    tempo: 1-1-1-1-1\n", 6, "tempo 1-1-1-1-1 has 5 phases; at most 4"),
    ("    reps: 5\n    tempo: fast\n", 6, f"{TEMPO_FORMS} 'fast'"),
    ("    reps: 5\n    tempo: true\n", 6, f"{TEMPO_FORMS} true"),
    ("    reps: 5\n    rest_s: -1\n", 6, "'rest_s' must be 0 to 600 seconds, not -1"),
    ("    reps: 5\n    rest_s: 601\n", 6, "'rest_s' must be 0 to 600 seconds, not 601"),
    ("    reps: 5\n    each_side: maybe\n", 6, "'each_side' must be true or false, not 'maybe'"),
    ("    reps: 5\n    each_side: 1\n", 6, "'each_side' must be true or false, not 1"),
    ("    reps: 5\n    set: 2\n", 6, f"unknown exercise key 'set'; allowed: {EXERCISE_KEYS}"),
]  # fmt: skip


@pytest.mark.parametrize(("rest", "line", "message"), BAD_ITEMS)
def test_a_bad_exercise_is_one_line_with_file_and_line(rest: str, line: int, message: str) -> None:
    error = error_of(routine_text(f"  - exercise: squat\n{rest}"))
    assert str(error) == f"bad.md:{line}: {message}"
    assert "\n" not in str(error)


BAD_LISTS = [
    (
        "  - wall sit\n",
        4,
        "each exercise must be a mapping like 'exercise: wall sit', not 'wall sit'",
    ),
    ("  - sets: 2\n", 4, "each item needs one of 'exercise' or 'routine'"),
    (
        "  - exercise: squat\n    routine: core\n",
        4,
        "each item needs one of 'exercise' or 'routine'",
    ),
    ("  - routine: core\n    sets: 2\n", 5, "unknown routine item key 'sets'; allowed: routine"),
    ("  - exercise: ''\n    reps: 3\n", 4, "'exercise' must be a name, not ''"),
    ("  - exercise: [a, b]\n    reps: 3\n", 4, "'exercise' must be a name, not a list"),
    ("  []\n", 3, "'exercises' must be a list of at least one exercise"),
]


@pytest.mark.parametrize(("items", "line", "message"), BAD_LISTS)
def test_a_bad_item_is_one_line_with_file_and_line(items: str, line: int, message: str) -> None:
    assert str(error_of(routine_text(items))) == f"bad.md:{line}: {message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "---\nexercises: wall sit\n---\n",
            "bad.md:2: 'exercises' must be a list of at least one exercise",
        ),
        ("---\nexercises:\n---\n", "bad.md:2: 'exercises' must be a list of at least one exercise"),
        (
            "---\ntitle: [a]\nexercises:\n  - {exercise: squat, reps: 2}\n---\n",
            "bad.md:2: front matter 'title' must be text",
        ),
        (
            "---\nrest: 30\nexercises:\n  - {exercise: squat, reps: 2}\n---\n",
            "bad.md:2: unknown front matter key 'rest'; allowed: title, aliases, rest_s, exercises",
        ),
        (
            "---\nrest_s: 900\nexercises:\n  - {exercise: squat, reps: 2}\n---\n",
            "bad.md:2: 'rest_s' must be 0 to 600 seconds, not 900",
        ),
        (
            "---\nexercises:\n  - {exercise: squat, reps: [\n---\n",
            "bad.md:3: broken YAML front matter",
        ),
        (
            "---\nexercises:\n  - exercise: squat\n",
            "bad.md:1: front matter opened with '---' is never closed",
        ),
        ("   \n", "bad.md: 'exercises' must be a list of at least one exercise"),
    ],
)
def test_a_bad_file_is_one_line_with_file_and_line(text: str, message: str) -> None:
    error = error_of(text)
    assert str(error).startswith(message) and "\n" not in str(error)


def test_too_many_exercises_in_one_file() -> None:
    items = "".join("  - {exercise: squat, reps: 2}\n" for _ in range(MAX_ITEMS + 1))
    assert str(error_of(routine_text(items))) == "bad.md:3: 51 exercises; a routine has at most 50"


def test_drafts_pickle_for_the_worker_processes() -> None:
    read = draft(GOOD)
    assert pickle.loads(pickle.dumps(read)) == read


# --- loading and resolving ----------------------------------------------------------


def test_routines_load_beside_guides_and_resolve(guides: Path) -> None:
    write(guides, "morning.md", GOOD)
    result = load_library([guides])
    assert result.errors == []
    (routine,) = result.library.routines
    assert isinstance(routine, Routine) and routine.path == guides / "morning.md"
    assert [(i.guide_id, i.name) for i in routine.items] == [
        ("wallsit_bodyweight", "Wall Sit"),
        ("calfraise_bodyweight", "Calf Raise"),
        ("sideplank_bodyweight", "Side Plank"),
    ]
    assert [routine.rest_after(i) for i in routine.items] == [20.0, 20.0, 10.0]
    assert len(result.library.guides) == len(GUIDES)


def test_parse_file_tells_guides_from_routines(guides: Path) -> None:
    path = write(guides, "morning.md", GOOD)
    assert isinstance(parse_file(path), RoutineDraft)
    assert not isinstance(parse_file(guides / "wallsit_bodyweight.md"), RoutineDraft)


def test_parallel_parsing_carries_routine_drafts(guides: Path) -> None:
    paths = [write(guides, f"r{n}.md", GOOD) for n in range(3)]
    paths.append(write(guides, "broken.md", routine_text("  - exercise: squat\n    sets: 0\n")))
    parsed = parse_many([*sorted(guides.glob("*_*.md")), *paths], workers=2)
    assert sum(isinstance(p, RoutineDraft) for p in parsed) == 3
    (error,) = [p for p in parsed if isinstance(p, GuideError)]
    assert str(error) == f"{paths[-1]}:5: 'sets' must be 1 to 20, not 0"


def load_errors(folder: Path) -> list[str]:
    return [str(e) for e in load_library([folder]).errors]


def test_bad_routines_are_reported_and_the_rest_load(guides: Path) -> None:
    write(guides, "good.md", GOOD)
    bad = write(guides, "bad.md", routine_text("  - exercise: wall sit\n    sets: 10000\n"))
    typo = write(guides, "typo.md", routine_text("  - exercise: wal sit\n    hold_s: 30\n"))
    result = load_library([guides])
    assert [str(e) for e in result.errors] == [
        f"{bad}:5: 'sets' must be 1 to 20, not 10000",
        f"{typo}:4: unknown exercise 'wal sit'; did you mean 'Wall Sit'?",
    ]
    assert [r.id for r in result.library.routines] == ["good"]
    assert len(result.library.guides) == len(GUIDES)


def test_a_name_shared_by_variants_must_name_one(guides: Path) -> None:
    path = write(guides, "glutes.md", routine_text("  - exercise: hip thrust\n    reps: 8\n"))
    assert load_errors(guides) == [
        f"{path}:4: 'hip thrust' has several versions (bodyweight, dumbbell): "
        "name one, e.g. 'bodyweight hip thrust'"
    ]
    write(guides, "glutes.md", routine_text("  - exercise: Dumbbell Hip-Thrusts\n    reps: 8\n"))
    (routine,) = load_library([guides]).library.routines
    assert routine.items[0].guide_id == "hipthrust_dumbbell"


def test_a_broken_guide_fails_only_the_routines_that_use_it(guides: Path) -> None:
    write(guides, "wallsit_bodyweight.md", "---\nvideo: [\n---\n" + STEPS)
    uses = write(guides, "uses.md", routine_text("  - exercise: wall sit\n    hold_s: 30\n"))
    write(guides, "other.md", routine_text("  - exercise: calf raise\n    reps: 8\n"))
    result = load_library([guides])
    assert [str(e) for e in result.errors][1:] == [f"{uses}:4: unknown exercise 'wall sit'"]
    assert [r.id for r in result.library.routines] == ["other"]


def test_a_routine_id_a_guide_has_is_a_duplicate(guides: Path, tmp_path: Path) -> None:
    clash = write(tmp_path / "mine", "plank_bodyweight.md", GOOD)
    write(guides, "plank_bodyweight.md", f"---\ndescription: x.\n---\n{STEPS}")
    result = load_library([guides, tmp_path / "mine"])
    (error,) = result.errors
    assert str(error).startswith(f"{clash}: duplicate id 'plank_bodyweight', already used by")
    assert result.library.routines == ()


def test_includes_expand_in_place_by_title_alias_or_id(guides: Path) -> None:
    write(
        guides,
        "core.md",
        routine_text(
            "  - {exercise: side plank, hold_s: 20}\n", "title: Core\naliases: [abs]\nrest_s: 5\n"
        ),
    )
    for name in ("core", "ABS", "Core!"):
        items = (
            "  - {exercise: wall sit, hold_s: 30}\n"
            f"  - routine: {name}\n"
            "  - {exercise: calf raise, reps: 5}\n"
        )
        write(guides, "full.md", routine_text(items, "title: Full\n"))
        result = load_library([guides])
        assert result.errors == []
        full = next(r for r in result.library.routines if r.id == "full")
        assert [i.guide_id for i in full.items] == [
            "wallsit_bodyweight",
            "sideplank_bodyweight",
            "calfraise_bodyweight",
        ]
        assert [full.rest_after(i) for i in full.items] == [20.0, 5.0, 20.0]


def test_an_unknown_include_is_named_with_suggestions(guides: Path) -> None:
    write(
        guides,
        "core.md",
        routine_text("  - {exercise: side plank, hold_s: 20}\n", "title: Core Routine\n"),
    )
    path = write(guides, "full.md", routine_text("  - routine: cor routine\n"))
    assert load_errors(guides) == [
        f"{path}:4: unknown routine 'cor routine'; did you mean 'Core Routine'?"
    ]


def test_a_routine_including_itself_names_the_chain(guides: Path) -> None:
    core = write(
        guides,
        "core.md",
        routine_text("  - {exercise: wall sit, hold_s: 9}\n  - routine: legs\n", "title: Core\n"),
    )
    legs = write(guides, "legs.md", routine_text("  - routine: core\n", "title: Legs\n"))
    me = write(guides, "me.md", routine_text("  - routine: me\n", "title: Me\n"))
    outer = write(guides, "outer.md", routine_text("  - routine: legs\n", "title: Outer\n"))
    good = write(guides, "good.md", GOOD)
    result = load_library([guides])
    assert sorted(str(e) for e in result.errors) == sorted(
        [
            f"{core}:5: includes itself: core -> legs -> core",
            f"{legs}:4: includes itself: legs -> core -> legs",
            f"{me}:4: includes itself: me -> me",
            f"{outer}:4: includes 'Legs', which includes itself: legs -> core -> legs",
        ]
    )
    assert [r.path for r in result.library.routines] == [good]


def test_an_include_of_a_broken_routine_says_why(guides: Path) -> None:
    bad = write(
        guides, "bad.md", routine_text("  - {exercise: nothing known, reps: 3}\n", "title: Bad\n")
    )
    user = write(guides, "user.md", routine_text("  - routine: bad\n", "title: User\n"))
    errors = load_errors(guides)
    assert errors[0] == f"{bad}:4: unknown exercise 'nothing known'"
    assert (
        errors[1] == f"{user}:4: included routine 'Bad': {bad}:4: unknown exercise 'nothing known'"
    )


def test_includes_past_the_item_limit_are_refused(guides: Path) -> None:
    thirty = "".join("  - {exercise: calf raise, reps: 2}\n" for _ in range(30))
    write(guides, "thirty.md", routine_text(thirty, "title: Thirty\n"))
    twice = write(guides, "twice.md", routine_text("  - routine: thirty\n  - routine: thirty\n"))
    assert load_errors(guides) == [f"{twice}:5: more than 50 exercises once includes are expanded"]


def test_a_routine_longer_than_the_limit_is_refused(guides: Path) -> None:
    items = "  - {exercise: wall sit, sets: 20, hold_s: 600}\n" * 2
    path = write(guides, "long.md", routine_text(items))
    assert load_errors(guides) == [f"{path}:3: takes about 6.9 hours; a routine takes at most 4"]


def stack_depth() -> int:
    frame: FrameType | None = sys._getframe()
    depth = 0
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def test_deep_includes_never_overflow_the_stack() -> None:
    """A chain of routines each including the next, deeper than the stack allows: an
    error for those too deep, never a RecursionError (the limit lowered to keep the
    test quick)."""
    count = 300
    drafts = [
        draft(routine_text(f"  - routine: r{n + 1}\n", f"title: R{n}\n"), f"r{n}.md")
        for n in range(count)
    ]
    drafts.append(draft(routine_text("  - {exercise: squat, reps: 2}\n"), f"r{count}.md"))
    library = load_library([ROOT / "exercises"]).library
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(stack_depth() + 300)
    try:
        routines, errors = resolve_routines(drafts, library)
    finally:
        sys.setrecursionlimit(limit)
    assert len(routines) + len(errors) == count + 1
    assert routines and errors and all("nested too deeply" in str(e) for e in errors)


def test_an_error_deep_in_includes_stays_one_short_line(guides: Path) -> None:
    for n in range(30):
        write(guides, f"r{n}.md", routine_text(f"  - routine: r{n + 1}\n", f"title: R{n}\n"))
    last = write(guides, "r30.md", routine_text("  - {exercise: nothing, reps: 2}\n"))
    errors = load_errors(guides)
    assert len(errors) == 31
    assert (
        errors[0]
        == f"{guides / 'r0.md'}:4: included routine 'R1': {last}:4: unknown exercise 'nothing'"
    )


def test_resolve_routine_looks_in_the_fallback_only_when_needed(library: Library) -> None:
    calls: list[int] = []

    def fallback() -> Library:
        calls.append(1)
        return load_library([ROOT / "exercises"]).library

    here = draft(routine_text("  - {exercise: wall sit, hold_s: 30}\n"))
    assert resolve_routine(here, library, fallback).items[0].guide_id == "wallsit_bodyweight"
    assert calls == []
    there = draft(routine_text("  - {exercise: dead bug, reps: 8}\n"))
    assert resolve_routine(there, library, fallback).items[0].guide_id == "deadbug_bodyweight"
    assert calls == [1]


# --- the library's routines ---------------------------------------------------------


@pytest.fixture
def with_routines(guides: Path) -> Library:
    write(guides, "morning_mobility.md", GOOD)
    write(
        guides,
        "wall_work.md",
        routine_text(
            "  - {exercise: wall sit, hold_s: 30}\n",
            "title: Wall Work\naliases: [wall sit, wall time]\n",
        ),
    )
    result = load_library([guides])
    assert result.errors == []
    return result.library


@pytest.mark.parametrize(
    "spoken",
    [
        "Morning Mobility",
        "morning-mobility!",
        "morning routines",
        "MORNING ROUTINE",
        "morning_mobility",
        "mornin mobility",
    ],
)
def test_find_routine_by_title_alias_or_id(with_routines: Library, spoken: str) -> None:
    found = with_routines.find_routine(spoken)
    assert found is not None and found.id == "morning_mobility"


def test_find_routine_is_only_the_name(with_routines: Library) -> None:
    assert with_routines.find_routine("start my morning routine") is None
    assert with_routines.find_routine("mornin mobility", fuzzy=False) is None
    assert with_routines.find_routine("") is None
    assert with_routines.routine("morning_mobility") is not None
    assert with_routines.routine("wallsit_bodyweight") is None


def test_spoken_names_of_routines(with_routines: Library) -> None:
    names = with_routines.spoken_names()
    for phrase in (
        "morning mobility",
        "my morning mobility",
        "morning routine",
        "my morning routine",
    ):
        assert names[phrase] == ("morning_mobility",)
    assert names["wall sit"] == ("wallsit_bodyweight",)  # the guide keeps its name
    assert names["wall work"] == names["wall time"] == names["my wall sit"] == ("wall_work",)
    assert with_routines.find("wall work").found is False  # `find` is for guides


def test_a_library_of_guides_alone_still_works(library: Library) -> None:
    assert Library(library.guides).routines == ()
    assert Library(()).find_routine("anything") is None


# --- the bundled routines -----------------------------------------------------------


def test_the_bundled_routines_load_cleanly_and_take_5_to_15_minutes() -> None:
    assert [d.name for d in default_exercise_dirs()] == ["exercises", "routines"]
    result = load_library()
    assert result.errors == []
    routines = result.library.routines
    assert len(routines) == 5
    for routine in routines:
        assert 5 * 60 <= estimate_s(routine) <= 15 * 60, routine.id
        assert routine.title and 1 <= len(routine.aliases) <= 3 and routine.notes
        assert result.library.find_routine(routine.aliases[0]) == routine


def test_reading_routines_loads_no_heavy_library() -> None:
    code = (
        "import sys, voice.routines.parse, voice.routines.resolve, voice.guides.loading; "
        "print(','.join(m for m in ('numpy', 'sounddevice', 'pocketsphinx', 'rich', "
        "'pyttsx3', 'faster_whisper', 'onnxruntime') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == ""
