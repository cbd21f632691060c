"""The command vocabulary: what a user may say for each intent, as text and as a grammar.

Pure: phrase tables in, `Command`s and JSGF source out. The same tables serve the
spoken path (the recognizer's grammar is `Vocabulary.jsgf()`, and what it hears is
read back with `match_text`) and the typed path (`--text`), so a phrase the coach
can hear is always a phrase it understands.

A spoken command is `[opener] core [closer]`: the core says the intent ("next",
"go back", "start the wall sit"); openers and closers are the politeness people
wrap around it ("okay next", "next please", "can you repeat that"). Typed text is
matched the same way after each word is corrected to the nearest vocabulary word,
so "nxet" reads as "next" when no other word is as close.

Text (typed, or a transcript) gets a second chance the grammar does not: filler
words at either end are dropped ("please just stop it now" is "stop"), apostrophes
do not matter ("whats next"), and `TEXT_PHRASES` adds the longer ways people put a
command ("how much time is left"). Those stay out of the grammar because every
phrase there competes with the others for every sound a recognizer hears. The
whole text must still be a command: "I can't stop thinking about lunch" is none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol

from rapidfuzz.distance import DamerauLevenshtein

from voice.guides.equipment import EQUIPMENT
from voice.intents import Command, Intent
from voice.numbers import number_phrase
from voice.words import normalize

INTENT_PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.NEXT: (
        "next",
        "next step",
        "next one",
        "continue",
        "move on",
        "go on",
        "done",
    ),
    Intent.BACK: ("back", "go back", "previous", "previous step", "step back"),
    Intent.REPEAT: ("repeat", "repeat that", "say that again", "again", "one more time"),
    Intent.PAUSE: ("pause", "wait", "hold on", "hang on"),
    Intent.RESUME: ("resume", "keep going", "carry on", "unpause", "go ahead"),
    Intent.STOP: ("stop", "stop exercise", "stop the exercise", "end exercise", "cancel"),
    Intent.RESTART: ("restart", "start over", "start again", "from the top"),
    Intent.HELP: ("help", "what can i say"),
    Intent.TIPS: ("tips", "give me a tip", "key points"),
    Intent.MISTAKES: ("mistakes", "common mistakes"),
    Intent.TIME_LEFT: (
        "time left",
        "how long",
        "how long is left",
        "how much longer",
        "how much time",
    ),
    Intent.LIST: ("list", "list exercises", "what exercises", "which exercises"),
    Intent.SKIP: ("skip", "skip this", "skip step", "skip it", "skip rest"),
    Intent.QUIT: ("quit", "exit", "goodbye"),
    Intent.WHATS_NEXT: ("what's next", "what is next", "what comes next"),
    Intent.HOW_MANY: ("how many left", "how many more"),
    Intent.ADD_TIME: ("add time", "more rest", "add thirty seconds"),
    Intent.READ_STEPS: ("read the steps", "read steps"),
    Intent.RECAP: ("how did i do", "how am i doing"),
    Intent.LAST_TIME: ("what did i do last time", "last time"),
}
"""Core phrases per intent (not START or CHOOSE, which are built from the library)."""

TEXT_PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.NEXT: (
        "go to the next step",
        "go to the next one",
        "on to the next one",
        "next set",
        "next exercise",
    ),
    Intent.BACK: ("back one", "go back one", "back one step", "go back a step", "previous one"),
    Intent.REPEAT: ("say it again", "once more", "come again", "what was that", "read it again"),
    Intent.PAUSE: ("wait a second", "wait a minute", "hold on a second", "just a second"),
    Intent.RESUME: ("i'm back",),
    Intent.STOP: ("stop that", "that's enough", "stop this exercise", "end the exercise"),
    Intent.RESTART: ("start from the beginning", "from the beginning", "begin again"),
    Intent.HELP: ("what can i do", "what do i say", "commands"),
    Intent.TIPS: ("any tips", "tip", "give me some tips"),
    Intent.MISTAKES: ("what are the common mistakes",),
    Intent.TIME_LEFT: (
        "how long left",
        "how much time left",
        "how much time is left",
        "how much is left",
        "how many seconds left",
        "how many seconds are left",
        "how long to go",
        "time remaining",
    ),
    Intent.LIST: ("list the exercises", "show me the exercises", "what exercises are there"),
    Intent.SKIP: (
        "skip this step",
        "skip this one",
        "skip the hold",
        "skip the rest",
        "skip resting",
        "end the rest",
        "end rest",
    ),
    Intent.QUIT: ("bye", "good bye", "quit the coach"),
    Intent.WHATS_NEXT: ("what's coming next", "what's up next", "what do we do next"),
    Intent.HOW_MANY: (
        "how many reps left",
        "how many sets left",
        "how many are left",
        "how many more reps",
        "how many more sets",
        "how many to go",
    ),
    Intent.ADD_TIME: ("more time", "add some time", "i need more rest", "a bit more rest"),
    Intent.READ_STEPS: (
        "read me the steps",
        "what are the steps",
        "read the instructions",
        "how do i do it",
        "how do i do this",
    ),
    Intent.RECAP: ("how did i do today", "how have i done", "my progress", "how's it going"),
    Intent.LAST_TIME: (
        "what did i do",
        "what did i do yesterday",
        "how did i do last time",
        "my last session",
        "my history",
    ),
}
"""More phrases per intent that text (typed, or a transcript) may use; not in the grammar.
Plain tables plus the filler rule below, rather than hassil's templates: they serve
typed text as well, the JSGF grammar stays built from the same tables, and no new
dependency is needed."""


def _time_phrases() -> dict[str, Command]:
    """ "add 30 seconds", "add a minute", "thirty more seconds": more rest, by amount
    (digits as a transcript writes them, words as people type them)."""
    out: dict[str, Command] = {}
    for seconds in (10, 15, 20, 30, 45, 60, 90):
        arg = str(seconds)
        for amount in (arg, number_phrase(seconds)):
            for phrase in (f"add {amount} seconds", f"{amount} more seconds", f"add {amount}"):
                out[phrase] = Command(Intent.ADD_TIME, arg)
            out[f"another {amount} seconds"] = Command(Intent.ADD_TIME, arg)
    for phrase in ("add a minute", "another minute", "one more minute", "add one minute"):
        out[phrase] = Command(Intent.ADD_TIME, "60")
    return out


TIME_PHRASES: dict[str, Command] = _time_phrases()
"""Text phrases that add a named amount of rest (`Intent.ADD_TIME` with the seconds)."""

LEADING_FILLERS: tuple[str, ...] = (
    "please", "pls", "ok", "okay", "alright", "so", "and", "then", "now", "just", "hey",
    "coach", "the", "can you", "could you", "would you", "will you", "um", "uh", "well",
)  # fmt: skip
"""Words text may start with around a command ("ok just stop", "could you repeat that")."""
TRAILING_FILLERS: tuple[str, ...] = (
    "please", "pls", "ok", "okay", "now", "then", "it", "coach", "for me", "thanks",
    "thank you",
)  # fmt: skip
"""Words text may end with after a command ("stop it", "next one please", "pause now")."""

OPENERS: tuple[str, ...] = ("okay", "ok", "can you", "please")
"""Words people put before a command; "can you" only reads well before a verb, but
accepting it everywhere costs nothing and keeps the grammar small. "now" and "coach"
were tried and dropped: short, vowel-heavy fillers the grammar used to absorb noise
and chatter ("now exit" for a plain "next")."""
CLOSERS: tuple[str, ...] = ("please",)

START_FRAMES: tuple[str, ...] = ("start", "start the", "let's do", "let's do the", "do", "do the")
"""What may come before an exercise name; the bare name starts it too."""
CHOOSE_FRAMES: tuple[str, ...] = ("the", "use the", "with")
"""What may come before an equipment answer ("the barbell", "with dumbbell")."""


class _Guide(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def equipment(self) -> str: ...


class SpokenNames(Protocol):
    """What `Vocabulary.from_library` needs from `voice.guides.library.Library`."""

    def spoken_names(self) -> Mapping[str, Sequence[str]]: ...

    def groups(self) -> Mapping[str, Sequence[_Guide]]: ...


class Vocabulary:
    """Every phrase the coach understands, mapped to its command."""

    def __init__(
        self,
        exercise_phrases: Mapping[str, str] | None = None,
        *,
        equipment: Iterable[str] = EQUIPMENT,
    ) -> None:
        self._cores: dict[str, Command] = {}
        for intent, phrases in INTENT_PHRASES.items():
            for phrase in phrases:
                self._cores[normalize(phrase)] = TIME_PHRASES.get(phrase, Command(intent))
        self._names: dict[str, str] = {}
        for phrase, guide_id in (exercise_phrases or {}).items():
            spoken = normalize(phrase)
            if spoken and spoken not in self._cores:  # a command word wins over a name
                self._names[spoken] = guide_id
        self._equipment = tuple(sorted({normalize(e) for e in equipment if normalize(e)}))
        self._phrases = self._all_phrases()
        self._words = {w for phrase in self._phrases for w in phrase.split()}
        self._text = self._text_phrases()
        self._text_words = {w for phrase in self._text for w in phrase.split()}

    @classmethod
    def from_library(cls, library: SpokenNames) -> Vocabulary:
        """The vocabulary of a library's names, aliases and equipment: the only way the
        coach builds one, so `coach hear`, `coach run` (spoken and typed) and `coach
        check` agree on what every phrase means.

        A phrase naming one guide starts that guide (arg: its id); a phrase shared by
        several equipment variants ("hip thrust", "hip thrusts") starts the group (arg:
        the group's key in `Library.groups()`, "Hip Thrust"), so the coach can ask
        which. A phrase naming guides of several groups keeps the phrase as its arg:
        the session's lookup then finds them all.
        """
        group_of: dict[str, str] = {}
        equipment = set(EQUIPMENT)
        for name, guides in library.groups().items():
            for guide in guides:
                group_of[guide.id] = name
                if guide.equipment:
                    equipment.add(guide.equipment)
        phrases: dict[str, str] = {}
        for phrase, ids in library.spoken_names().items():
            if isinstance(ids, str):
                phrases[phrase] = ids
            elif len(ids) == 1:
                phrases[phrase] = ids[0]
            elif ids:
                groups = {group_of.get(i, phrase) for i in ids}
                phrases[phrase] = groups.pop() if len(groups) == 1 else phrase
        return cls(phrases, equipment=equipment)

    @property
    def exercise_phrases(self) -> Mapping[str, str]:
        return dict(self._names)

    def _all_phrases(self) -> dict[str, Command]:
        """Every full phrase (frames included) -> its command; the grammar's language."""
        cores = dict(self._cores)
        for name, guide_id in self._names.items():
            for frame in ("", *START_FRAMES):
                cores.setdefault(f"{frame} {name}".strip(), Command(Intent.START, guide_id))
        for item in self._equipment:
            for frame in ("", *CHOOSE_FRAMES):
                cores.setdefault(f"{frame} {item}".strip(), Command(Intent.CHOOSE, item))
        phrases: dict[str, Command] = {}
        for core, command in cores.items():
            for opener in ("", *OPENERS):
                for closer in ("", *CLOSERS):
                    phrases.setdefault(f"{opener} {core} {closer}".strip(), command)
        return phrases

    def _text_phrases(self) -> dict[str, Command]:
        """What text may say once its fillers are gone, apostrophes dropped: every
        grammar phrase (first, so names and commands keep their meaning) and
        `TEXT_PHRASES`."""
        text = {_loose(phrase): command for phrase, command in self._phrases.items()}
        for intent, phrases in TEXT_PHRASES.items():
            for phrase in phrases:
                text.setdefault(_loose(normalize(phrase)), Command(intent))
        for phrase, command in TIME_PHRASES.items():
            text.setdefault(_loose(normalize(phrase)), command)
        return text

    def samples(self) -> Iterator[tuple[str, Command]]:
        """Every phrase the vocabulary can produce, with its command."""
        yield from self._phrases.items()

    def core_samples(self) -> Iterator[tuple[str, Command]]:
        """The phrases without openers and closers: one per core phrase and frame."""
        for phrase, command in self._phrases.items():
            first = phrase.split(" ", 1)[0]
            last = phrase.rsplit(" ", 1)[-1]
            if first not in _FRAME_WORDS and last not in _FRAME_WORDS:
                yield phrase, command

    def words(self) -> set[str]:
        """Every word the grammar uses (the lexicon must pronounce each)."""
        return set(self._words)

    def match_text(self, text: str) -> Command | None:
        """The command typed or recognized `text` says, or None when it says none.

        First as the grammar would say it (a recognizer's hypothesis always is);
        then, for what people type or a transcript holds, without the fillers at
        either end, apostrophes aside, against the grammar's and `TEXT_PHRASES`.
        """
        words = normalize(text).split()
        if not words:
            return None
        spoken = _lookup(words, self._phrases, self._words)
        if spoken is not None:
            return spoken
        for core in _unwrapped([_loose(w) for w in words]):
            typed = _lookup(core, self._text, self._text_words)
            if typed is not None:
                return typed
        return None

    def jsgf(self, grammar: str = "coach", *, exclude: Iterable[str] = ()) -> str:
        """JSGF source whose public rule `<command>` accepts exactly `samples()`.

        Phrases using a word in `exclude` (one the recognizer cannot pronounce) are
        left out rather than failing the whole grammar.
        """
        skip = set(exclude)

        def keep(phrases: Iterable[str]) -> list[str]:
            return [p for p in phrases if not skip.intersection(p.split())]

        lines = ["#JSGF V1.0;", f"grammar {grammar};"]
        by_rule: list[str] = []
        lines.append(f"<opener> = {_alternatives(OPENERS)};")
        lines.append(f"<closer> = {_alternatives(CLOSERS)};")
        plain = sorted(keep(self._cores))
        lines.append(f"<plain> = {_alternatives(plain)};")
        by_rule.append("<plain>")
        names = sorted(keep(self._names))
        if names:
            lines.append(f"<name> = {_alternatives(names)};")
            lines.append(f"<start> = [{_alternatives(START_FRAMES)}] <name>;")
            by_rule.append("<start>")
        equipment = keep(self._equipment)
        if equipment:
            lines.append(f"<equipment> = {_alternatives(equipment)};")
            lines.append(f"<choose> = [{_alternatives(CHOOSE_FRAMES)}] <equipment>;")
            by_rule.append("<choose>")
        lines.append(f"public <command> = [<opener>] ({' | '.join(by_rule)}) [<closer>];")
        return "\n".join(lines) + "\n"


_FRAME_WORDS = frozenset(w for p in (*OPENERS, *CLOSERS) for w in p.split())


def _loose(text: str) -> str:
    """`text` with apostrophes dropped: people type "lets do" and "whats next"."""
    return text.replace("'", "")


def _filler_words(fillers: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Fillers as word tuples, longest first, so "thank you" goes before "you" would."""
    split = {tuple(_loose(normalize(f)).split()) for f in fillers}
    return tuple(sorted(split, key=lambda f: (-len(f), f)))


_LEADING = _filler_words(LEADING_FILLERS)
_TRAILING = _filler_words(TRAILING_FILLERS)


def _unwrapped(words: Sequence[str]) -> Iterator[list[str]]:
    """`words`, then `words` with one more filler peeled off either end each time,
    until a non-filler shows at both ends.

    One at a time, so a phrase that starts with a filler word ("just a second")
    is tried before its filler is gone. Only the ends: a filler inside ("stop by
    the shop") is part of what was said.
    """
    rest = list(words)
    while rest:
        yield rest
        head = next((f for f in _LEADING if tuple(rest[: len(f)]) == f), None)
        if head is not None:
            rest = rest[len(head) :]
            continue
        tail = next((f for f in _TRAILING if tuple(rest[-len(f) :]) == f), None)
        if tail is None:
            return
        rest = rest[: -len(tail)]


def _lookup(words: Sequence[str], table: Mapping[str, Command], known: set[str]) -> Command | None:
    """The command of `words` in `table`, as they are or with each word corrected to
    the one word of `known` it is a typo of; None when any word has no such word."""
    exact = table.get(" ".join(words))
    if exact is not None:
        return exact
    corrected = [_correct(w, known) for w in words]
    if any(w is None for w in corrected):
        return None
    return table.get(" ".join(w for w in corrected if w))


def _correct(word: str, known: set[str]) -> str | None:
    """The one word of `known` that `word` is a typo of, or None if none or several are."""
    if word in known:
        return word
    if len(word) < 3:
        return None
    limit = 1 if len(word) < 7 else 2
    close = [
        w
        for w in known
        if abs(len(w) - len(word)) <= limit
        and DamerauLevenshtein.distance(word, w, score_cutoff=limit) <= limit
    ]
    if not close:
        return None
    best = min(DamerauLevenshtein.distance(word, w) for w in close)
    nearest = [w for w in close if DamerauLevenshtein.distance(word, w) == best]
    return nearest[0] if len(nearest) == 1 else None


def _alternatives(phrases: Iterable[str]) -> str:
    return "(" + " | ".join(phrases) + ")"
