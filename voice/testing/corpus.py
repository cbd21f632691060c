"""The hearing corpus: labelled clips of commands, exercise names, chatter and noises.

Every clip is lead-in (0.5-1.0 s), one utterance or sound, and a 0.8 s tail,
with noise (if any) across the whole clip, so the speech start and end are
known to the sample. A clip says what the coach should do with it: exactly
`expected`, or nothing (`expected is None`) for chatter and non-speech.

Composition (by default 1,000 clips: 40% commands, 25% exercise names, 25%
chatter, 10% non-speech): commands and names come from the vocabulary's own `samples()`,
so every phrase is one the coach accepts, with its command as the label. The
vocabulary produces tens of thousands of framed phrases, so they are drawn
in turns: each intent (commands) or guide (names) gets an equal share, its
core phrases ("go back", "previous step") come round in turn, half said bare
and half in a random frame ("okay go back please"). Chatter (`chatter.py`)
includes the hard cases with command words inside sentences to someone else;
their right answer is no command. Non-speech (`sounds.py`): breathing,
coughs, music, a TV. Voice, speed and noise condition (clean, or white, pink,
babble, music or TV at 20, 10, 5 dB) are cycled independently of the phrases,
so each condition holds a sixteenth of each kind.

Each clip also says the listening context it is heard in (`Context`): exercise
names and "how did I do" while waiting, equipment answers while choosing, other
commands mid-exercise;
talk and sounds that must give nothing alternate between waiting and mid-exercise,
so both are measured.

Real human speech (`human_corpus`, from `voice.testing.human`) comes on top:
utterances, 3 s windows and single words of recordings that installed packages
ship, with no command expected (or the command, for a word that is one).

Dev and test are kept apart so that tuning on dev is honest:
- disjoint voices and speakers (`SPLIT_VOICES`): dev speaks with flite slt and
  awb, festival's slt (HTS) and ked, and ten espeak-ng accents and variants; test
  with flite rms, kal16 and kal, festival's kal, and eight other espeak-ng
  accents and variants. A speaker two synthesizers share (slt, kal) stays in one
  split, and no espeak-ng variant (`+m3`, `+klatt2`) is in both;
- disjoint speeds: dev 0.8/0.95/1.1, test 0.85/1.0/1.2;
- disjoint chatter: alternate sentences of each chatter list go to each split;
- disjoint babble and TV: the background talkers are the split's own voices;
- disjoint human recordings: alternate recordings of each source;
- disjoint random streams (levels, lead-ins, noise) through the split's seed.
The command phrases are shared: the grammar is built from them, so knowing
them is not cheating; hearing them in new voices is the test.

Everything is deterministic for a seed: same arguments (and synthesizer
versions), same samples. `plan_corpus` gives the labels without the audio.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import numpy as np

from voice.audio import SAMPLE_RATE, Pcm
from voice.audio.convert import to_pcm
from voice.errors import CoachError
from voice.intents import Command, Intent
from voice.listening.context import BETWEEN_EXERCISES, Context
from voice.testing import chatter, human, sounds
from voice.testing.voices import (
    Speak,
    Voice,
    available_voices,
    babble,
    mix_at_snr,
    pink_noise,
    silence,
    synthesize,
    trim_silence,
    white_noise,
)

Split = Literal["dev", "test"]
Kind = Literal[
    "command",
    "name",
    "chatter",
    "nonspeech",
    "human_utterance",
    "human_window",
    "human_word",
    "human_command",
]
NoiseKind = Literal["clean", "white", "pink", "babble", "music", "tv"]

KINDS: tuple[Kind, ...] = ("command", "name", "chatter", "nonspeech")
"""The synthetic kinds `build_corpus` makes."""
HUMAN_KINDS: tuple[Kind, ...] = ("human_utterance", "human_window", "human_word", "human_command")
"""The kinds of real speech `human_corpus` cuts: none but `human_command` expects a command."""
NOISES: tuple[NoiseKind, ...] = ("white", "pink", "babble", "music", "tv")
SNRS: tuple[float, ...] = (20.0, 10.0, 5.0)
SHARES: dict[Kind, float] = {"command": 0.40, "name": 0.25, "chatter": 0.25, "nonspeech": 0.10}
CONDITIONS: tuple[tuple[NoiseKind, float | None], ...] = (
    ("clean", None),
    *((noise, snr) for noise in NOISES for snr in SNRS),
)
"""Every noise condition: clean, and each noise at 20, 10 and 5 dB SNR."""

SPLIT_VOICES: dict[Split, tuple[tuple[str, str], ...]] = {
    "dev": (
        ("flite", "slt"),
        ("flite", "awb"),
        ("festival", "cmu_us_slt_arctic_hts"),
        ("festival", "ked_diphone"),
        ("espeak-ng", "en-us"),
        ("espeak-ng", "en-us+f3"),
        ("espeak-ng", "en-us+m1"),
        ("espeak-ng", "en-us+klatt"),
        ("espeak-ng", "en-gb-scotland+m2"),
        ("espeak-ng", "en-gb-scotland+f1"),
        ("espeak-ng", "en-gb-x-gbclan+m4"),
        ("espeak-ng", "en-gb-x-gbclan+klatt3"),
        ("espeak-ng", "en-029+m6"),
        ("espeak-ng", "en-029+f4"),
    ),
    "test": (
        ("flite", "rms"),
        ("flite", "kal16"),
        ("flite", "kal"),
        ("festival", "kal_diphone"),
        ("espeak-ng", "en-gb-x-rp+m3"),
        ("espeak-ng", "en-us+f5"),
        ("espeak-ng", "en-us+m7"),
        ("espeak-ng", "en-gb+m5"),
        ("espeak-ng", "en-gb+f2"),
        ("espeak-ng", "en-us-nyc+m8"),
        ("espeak-ng", "en-us-nyc+klatt2"),
        ("espeak-ng", "en-gb-x-gbcwmd+klatt4"),
    ),
}
"""Each split's voices, where installed. Extra `.flitevox` files found on the machine
are dealt out in turn (dev, test, dev, ...)."""
_SAME_SPEAKER = {
    ("flite", "kal16"): "kal",
    ("flite", "kal"): "kal",
    ("festival", "kal_diphone"): "kal",
    ("flite", "slt"): "slt",
    ("festival", "cmu_us_slt_arctic_hts"): "slt",
}
SPLIT_SPEEDS: dict[Split, tuple[float, ...]] = {"dev": (0.8, 0.95, 1.1), "test": (0.85, 1.0, 1.2)}
DEFAULT_SIZE = 1000
"""Clips per split when no size is given (human speech comes on top)."""
LEAD_IN_S = (0.5, 1.0)
TAIL_S = 0.8
NONSPEECH = ("breathing", "cough", "music", "tv")
_SPLIT_CODE: dict[Split, int] = {"dev": 1, "test": 2}


T = TypeVar("T")


class CorpusError(CoachError):
    """The corpus cannot be built here (no synthesizer, no phrases)."""


class PhraseSource(Protocol):
    """What the corpus needs of `voice.commands.Vocabulary`: every phrase and its command."""

    def samples(self) -> Iterator[tuple[str, Command]]: ...


@dataclass(frozen=True, eq=False)
class Clip:
    """One labelled clip of 16 kHz audio (compared by identity: it holds an array)."""

    pcm: Pcm
    speech_start_s: float
    """Where the utterance (or sound) begins, in seconds of this clip."""
    speech_end_s: float
    text: str
    """What was said; `<breathing>`, `<cough>`, `<music>` or `<tv>` for non-speech."""
    expected: Command | None
    """The one command the coach should act on; None for chatter and non-speech."""
    kind: Kind
    voice: str
    """The voice's label (`flite:rms@1.2`), or the sound's name for non-speech."""
    speed: float
    noise: NoiseKind
    snr_db: float | None
    """Speech-to-noise power ratio; None when clean."""
    context: Context = Context.ANY
    """The listening situation the clip is heard in (see the module's docstring)."""
    source: str = "synthetic"
    """Where the audio comes from: `synthetic`, or a human recording (`source:file`)."""

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / SAMPLE_RATE

    @property
    def condition(self) -> str:
        """`clean`, or noise and SNR such as `babble@5`."""
        return "clean" if self.snr_db is None else f"{self.noise}@{self.snr_db:g}"


@dataclass(frozen=True, eq=False)
class Stream:
    """Clips played one after another with gaps: what a live session sounds like."""

    pcm: Pcm
    clips: tuple[Clip, ...]
    offsets_s: tuple[float, ...]
    """Where each clip starts in the stream."""

    def spoken(self) -> list[tuple[float, float, Command | None]]:
        """Each clip's speech start, end (stream seconds) and expected command, in order."""
        return [
            (off + c.speech_start_s, off + c.speech_end_s, c.expected)
            for off, c in zip(self.offsets_s, self.clips, strict=True)
        ]


@dataclass(frozen=True)
class ClipPlan:
    """What a clip will hold, before any audio is made (cheap: for tests and reports)."""

    text: str
    expected: Command | None
    kind: Kind
    voice: Voice | None
    """None for non-speech."""
    noise: NoiseKind
    snr_db: float | None
    key: tuple[int, ...]
    """Seeds this clip's own random stream (level, lead-in, noise)."""
    context: Context = Context.ANY


def build_corpus(
    split: Split,
    *,
    size: int | None = None,
    seed: int = 0,
    vocabulary: PhraseSource,
    cache_dir: Path | None = None,
) -> list[Clip]:
    """`size` clips of `split` (default `DEFAULT_SIZE`), in a stable order.

    `cache_dir`, if given, keeps synthesized speech on disk across runs (the
    synthesizers are deterministic, so a cached clip is the same clip).
    """
    speak = SpeechCache(cache_dir, babble_voices(split))
    plans = plan_corpus(split, size=size, seed=seed, vocabulary=vocabulary)
    speak.prefetch([(p.text, p.voice) for p in plans if p.voice is not None])
    return [render(p, speak) for p in plans]


def human_corpus(
    split: Split | Literal["all"],
    *,
    vocabulary: PhraseSource,
    site_dirs: Sequence[str | Path] = (),
    folder: str | Path | None = None,
) -> tuple[list[Clip], list[str]]:
    """Clips of real human speech found on this machine for `split` (`all`: every
    recording), and one line per source saying what was found or skipped."""
    found = human.recordings(site_dirs=site_dirs, folder=folder)
    phrases = dict(_phrases(vocabulary, required=False))
    clips: list[Clip] = []
    negatives = 0
    for recording in human.split_of(found, split):
        for piece in human.pieces(recording, phrases):
            expected = (
                phrases.get(" ".join(piece.text.split())) if piece.kind == "human_command" else None
            )
            if expected is not None:
                context = context_for(expected)
            else:
                context = human.context_for_negative(negatives)
                negatives += 1
            clips.append(
                Clip(
                    piece.pcm,
                    piece.speech_start_s,
                    piece.speech_end_s,
                    piece.text,
                    expected,
                    piece.kind,  # type: ignore[arg-type]
                    f"human:{recording.source}",
                    1.0,
                    "clean",
                    None,
                    context,
                    f"{recording.source}:{recording.name}",
                )
            )
    return clips, human.sources_report(found)


def context_for(command: Command) -> Context:
    """Where a command is said: names and questions about progress while waiting,
    equipment answers while choosing, the rest mid-exercise."""
    if command.intent is Intent.START or command.intent in BETWEEN_EXERCISES:
        return Context.WAITING
    if command.intent is Intent.CHOOSE:
        return Context.CHOOSING
    return Context.EXERCISE


def plan_corpus(
    split: Split, *, size: int | None = None, seed: int = 0, vocabulary: PhraseSource
) -> list[ClipPlan]:
    """The clips `build_corpus` makes, without their audio."""
    size = DEFAULT_SIZE if size is None else size
    voices = split_voices(split)
    phrases = _phrases(vocabulary)
    commands = [(t, c) for t, c in phrases if c.intent is not Intent.START]
    names = [(t, c) for t, c in phrases if c.intent is Intent.START]
    cores = {" ".join(t.split()) for t, _ in _core_samples(vocabulary)}
    chatter_items: list[tuple[str, Command | None]] = [(t, None) for t in split_chatter(split)]
    noises: list[tuple[str, Command | None]] = [(f"<{name}>", None) for name in NONSPEECH]
    plans: list[ClipPlan] = []
    for kind, count in zip(KINDS, _shares(size), strict=True):
        base = (seed, _SPLIT_CODE[split], KINDS.index(kind))
        rng = np.random.default_rng(base)
        texts: Iterator[tuple[str, Command | None]]
        if kind == "command":
            texts = _phrase_plan(commands, cores, rng)
        elif kind == "name":
            texts = _phrase_plan(names, cores, rng)
        else:
            texts = _cycle_shuffled(chatter_items if kind == "chatter" else noises, rng)
        speakers = _cycle_shuffled(voices, rng)
        conditions = _cycle_shuffled(list(CONDITIONS), rng)
        for i in range(count):
            text, expected = next(texts)
            voice = next(speakers) if kind != "nonspeech" else None
            noise, snr = next(conditions)
            context = human.context_for_negative(i) if expected is None else context_for(expected)
            plans.append(ClipPlan(text, expected, kind, voice, noise, snr, (*base, i), context))
    return plans


def render(plan: ClipPlan, speak: SpeechCache) -> Clip:
    """The audio of `plan`: its sound placed in a clip, with its noise."""
    rng = np.random.default_rng(plan.key)
    if plan.voice is None:
        sound, label, speed = _nonspeech(plan.text, rng, speak), plan.text[1:-1], 1.0
    else:
        sound, label, speed = speak(plan.text, plan.voice), plan.voice.label, plan.voice.speed
    pcm, start, end = place(sound, rng, plan.noise, plan.snr_db, speak.talkers, speak)
    return Clip(
        pcm,
        start,
        end,
        plan.text,
        plan.expected,
        plan.kind,
        label,
        speed,
        plan.noise,
        plan.snr_db,
        plan.context,
    )


def place(
    sound: Pcm,
    rng: np.random.Generator,
    noise: NoiseKind,
    snr_db: float | None,
    talkers: Sequence[Voice],
    speak: Speak = synthesize,
) -> tuple[Pcm, float, float]:
    """`sound` at a random level after a random lead-in, with a tail, under `noise`.

    Returns the clip and where the sound starts and ends in it (seconds). The
    level and lead-in are drawn before the noise, so the same `rng` seed gives
    the same placement clean and noisy (tests rely on it to check the SNR).
    """
    # Users stand at different distances: levels vary over 10 dB.
    level = 3000.0 * 10 ** (rng.uniform(-10.0, 0.0) / 20)
    # Trimmed again after scaling, so the stated interval starts and ends on sound.
    sound = trim_silence(_at_level(sound, level), threshold=0)
    lead = round(rng.uniform(*LEAD_IN_S) * SAMPLE_RATE)
    padded = np.concatenate([silence(lead / SAMPLE_RATE), sound, silence(TAIL_S)])
    if snr_db is not None:
        padded = mix_at_snr(padded, _noise(noise, len(padded), rng, talkers, speak), snr_db)
    return padded, lead / SAMPLE_RATE, (lead + len(sound)) / SAMPLE_RATE


def babble_voices(split: Split) -> list[Voice]:
    """Background talkers: the split's own voices at normal pace, so dev and test share none."""
    return [
        Voice(v.engine, v.name) for v in split_voices(split) if v.speed == SPLIT_SPEEDS[split][0]
    ]


def build_stream(clips: Sequence[Clip], *, gap_s: float = 1.0) -> Stream:
    """`clips` one after another with `gap_s` of silence before each."""
    parts: list[Pcm] = []
    offsets: list[float] = []
    t = 0.0
    for clip in clips:
        parts.append(silence(gap_s))
        t += gap_s
        offsets.append(t)
        parts.append(clip.pcm)
        t += len(clip.pcm) / SAMPLE_RATE
    pcm = np.concatenate(parts) if parts else silence(0)
    return Stream(pcm.astype(np.int16), tuple(clips), tuple(offsets))


def split_voices(split: Split) -> list[Voice]:
    """The voices (at each of the split's speeds) installed here for `split`, in
    `SPLIT_VOICES` order, then any extra `.flitevox` voices dealt to this split."""
    available = available_voices(SPLIT_SPEEDS[split])
    order = {key: i for i, key in enumerate(SPLIT_VOICES[split])}
    voices = sorted(
        (v for v in available if (v.engine, v.name) in order),
        key=lambda v: (order[(v.engine, v.name)], v.speed),
    )
    extra = sorted({v.name for v in available if v.name.endswith(".flitevox")})
    mine = set(extra[_SPLIT_CODE[split] - 1 :: 2])
    voices += [v for v in available if v.name in mine]
    if not voices:
        raise CorpusError("no speech synthesizer found: install flite or espeak-ng")
    return voices


def speaker_of(voice: Voice) -> str:
    """Who a voice sounds like: a speaker two synthesizers share counts once; an
    espeak-ng voice is its variant (`m3`, `klatt2`; none: the accent's own voice)."""
    key = (voice.engine, voice.name)
    if key in _SAME_SPEAKER:
        return _SAME_SPEAKER[key]
    if voice.engine == "espeak-ng":
        return "espeak-ng+" + (voice.name.split("+", 1)[1] if "+" in voice.name else "")
    return f"{voice.engine}:{voice.short_name}"


def split_chatter(split: Split) -> list[str]:
    """Alternate sentences of each chatter list: evens for dev, odds for test."""
    start = 0 if split == "dev" else 1
    return [s for group in chatter.ALL for s in group[start::2]]


def _phrases(vocabulary: PhraseSource, required: bool = True) -> list[tuple[str, Command]]:
    # Several frames can produce the same words; one clip per distinct phrase.
    seen: dict[str, Command] = {}
    for text, command in vocabulary.samples():
        seen.setdefault(" ".join(text.split()), command)
    if not seen and required:
        raise CorpusError("the vocabulary produced no phrases")
    return sorted(seen.items())


def _core_samples(vocabulary: PhraseSource) -> Iterable[tuple[str, Command]]:
    core_samples = getattr(vocabulary, "core_samples", None)
    return vocabulary.samples() if core_samples is None else core_samples()


def _phrase_plan(
    phrases: Sequence[tuple[str, Command]], cores: set[str], rng: np.random.Generator
) -> Iterator[tuple[str, Command | None]]:
    """Groups in turn, each group's core phrases in turn, each with or without frames.

    A vocabulary produces tens of thousands of framed phrases ("okay start the
    wall sit please"), most of them for exercise names; cycling through them
    blindly would test ten names and no "back". So every group gets the same
    share (an intent for commands, so "choose" with its seven equipment answers
    counts once; a guide for names), within it every core phrase ("go back",
    "previous step") comes round before any repeats, and half the time the core
    is said bare (as people mostly do), half the time in a random frame.
    """
    if not phrases:
        return
    groups: dict[str, dict[str, list[tuple[str, Command]]]] = {}
    for text, command in phrases:
        key = command.intent.value if command.intent is not Intent.START else str(command.arg)
        groups.setdefault(key, {}).setdefault(_core_of(text, cores), []).append((text, command))
    core_turns = {key: _cycle_shuffled(sorted(groups[key]), rng) for key in sorted(groups)}
    for key in _cycle_shuffled(sorted(groups), rng):
        core = next(core_turns[key])
        variants = groups[key][core]
        bare = [v for v in variants if v[0] == core]
        if bare and rng.random() < 0.5:
            yield bare[0]
        else:
            yield variants[int(rng.integers(len(variants)))]


def _core_of(text: str, cores: set[str]) -> str:
    """The longest core phrase inside `text` (word aligned); `text` itself if none."""
    words = text.split()
    for length in range(len(words), 0, -1):
        for start in range(len(words) - length + 1):
            candidate = " ".join(words[start : start + length])
            if candidate in cores:
                return candidate
    return text


def _shares(size: int) -> list[int]:
    counts = [int(size * SHARES[k]) for k in KINDS]
    counts[0] += size - sum(counts)
    return counts


def _cycle_shuffled(items: Sequence[T], rng: np.random.Generator) -> Iterator[T]:
    """Every item once in a random order, then again in another, forever."""
    while True:
        for i in rng.permutation(len(items)):
            yield items[int(i)]


def _at_level(pcm: Pcm, rms: float) -> Pcm:
    """Scale so the loud part's RMS is `rms`; the same measure `mix_at_snr` uses."""
    x = pcm.astype(np.float64)
    voiced = x[np.abs(x) > 0.05 * max(1.0, float(np.abs(x).max()))]
    current = float(np.sqrt(np.mean(voiced**2))) if len(voiced) else 1.0
    out: Pcm = to_pcm(x * rms / current)
    return out


def _noise(
    kind: NoiseKind, n: int, rng: np.random.Generator, talkers: Sequence[Voice], speak: Speak
) -> Pcm:
    if kind == "white":
        return white_noise(n, rng)
    if kind == "pink":
        return pink_noise(n, rng)
    if kind == "music":
        return sounds.music_noise(n, rng)
    if kind == "tv":
        return sounds.tv_noise(n, rng, chatter.BABBLE, talkers, speak)
    return babble(n, rng, chatter.BABBLE, talkers, speak=speak)


def _nonspeech(name: str, rng: np.random.Generator, speak: SpeechCache) -> Pcm:
    name = name.strip("<>")
    if name == "breathing":
        return sounds.breathing(rng)
    if name == "cough":
        return sounds.cough(rng)
    if name == "music":
        return sounds.music(rng)
    return sounds.television(rng, chatter.BABBLE, speak.talkers, speak)


class SpeechCache:
    """`synthesize`, optionally remembered on disk between runs."""

    def __init__(self, cache_dir: Path | None, talkers: list[Voice]) -> None:
        self.cache_dir = cache_dir
        self.talkers = talkers
        self._talk: dict[tuple[str, Voice], Pcm] = {}
        """The background talkers' sentences, read in every babble and TV clip: kept."""
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)

    def __call__(self, text: str, voice: Voice) -> Pcm:
        if (text, voice) in self._talk:
            return self._talk[(text, voice)]
        pcm = self._load(text, voice)
        if text in chatter.BABBLE:
            self._talk[(text, voice)] = pcm
        return pcm

    def _load(self, text: str, voice: Voice) -> Pcm:
        if self.cache_dir is None:
            return synthesize(text, voice)
        path = self._path(text, voice)
        if path.exists():
            cached: Pcm = np.load(path)
            return cached
        pcm = synthesize(text, voice)
        # Written aside then renamed: another process reading the cache never sees half a file.
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        with partial.open("wb") as f:
            np.save(f, pcm)
        partial.replace(path)
        return pcm

    def prefetch(self, wanted: Iterable[tuple[str, Voice]]) -> None:
        """Synthesize what is not cached yet on a few threads (each runs a synthesizer
        process), including the background talkers' sentences."""
        # `babble` gives talker k sentence k+i of voice k+i (i < 8, k < 4): these pairs.
        n, talkers = len(chatter.BABBLE), self.talkers
        talk = [(chatter.BABBLE[j % n], talkers[j % len(talkers)]) for j in range(11) if talkers]
        todo = list(dict.fromkeys([*wanted, *talk]))
        if self.cache_dir is not None:
            todo = [(t, v) for t, v in todo if not self._path(t, v).exists()]
        if len(todo) < 2:
            return
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            list(pool.map(lambda job: self(*job), todo))

    def _path(self, text: str, voice: Voice) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / f"{hashlib.sha1(f'{voice.label}|{text}'.encode()).hexdigest()}.npy"


def describe(clips: Iterable[Clip]) -> dict[str, int]:
    """Clip counts by kind and by condition: for a benchmark's header."""
    counts: dict[str, int] = {}
    for clip in clips:
        for key in (clip.kind, clip.condition):
            counts[key] = counts.get(key, 0) + 1
    return counts


__all__ = [
    "CONDITIONS",
    "HUMAN_KINDS",
    "KINDS",
    "Clip",
    "ClipPlan",
    "CorpusError",
    "PhraseSource",
    "Stream",
    "build_corpus",
    "build_stream",
    "context_for",
    "describe",
    "human_corpus",
    "place",
    "plan_corpus",
    "render",
    "speaker_of",
    "split_chatter",
    "split_voices",
]
