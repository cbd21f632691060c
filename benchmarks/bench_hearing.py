"""Hearing: each listener system side by side on the same corpus, against the issue's targets.

The corpus (`voice.testing.corpus`): synthesized commands, exercise names, chatter
and non-speech in many voices, speeds and noises (clean, white, pink, babble,
music, TV at 20, 10 and 5 dB), plus real human speech found on this machine
(`voice.testing.human`: utterances, 3 s windows and single words that must give
no command; human command words, if any, that must give theirs).

Systems (`SYSTEMS`, one line each; `--systems a,b,c` picks them):
- `default`: `build_listener(vocabulary)`, the coach's own choice;
- `pocketsphinx`: `build_listener(vocabulary, engine="pocketsphinx")`;
- `recognize_sphinx`: SpeechRecognition used the usual way (`AudioFile`, `record()`
  of the whole clip, `recognize_sphinx()` with its defaults, words mapped by our
  `Vocabulary.match_text`), on an evenly spaced subsample: it takes seconds a clip.

Each system runs in its own forked process (its imports, model loading and memory
are its own): built once (start-up), then fed each clip frame by frame as if live
(`reset()` between clips), told the clip's listening context first when it has
`expect()` (`--no-context`: `Context.ANY` for everything). A clip is right when
exactly its expected command comes out (intent and argument), and, for talk and
sounds, when no command does. Then streams of six clips heard without a reset:
each command once, in order.

Latency is `decided_s` minus the true end of speech plus the compute time of the
call that decided (a live listener acts only when the decoder is done). CPU per
utterance is the process CPU time (`time.process_time`, every thread) of that call.

Run: `make bench ARGS="hearing --split=test"`, or in pieces:
`python -m benchmarks hearing --systems pocketsphinx --size 200`, `--quick`.
The table goes to stdout and benchmarks/out/hearing.md, one JSON line per clip and
system to benchmarks/out/hearing_clips.jsonl. Synthesized speech is cached in
benchmarks/out/tts.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import time
import traceback
import wave
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from voice.audio import SAMPLE_RATE, Frame, Pcm
from voice.commands import INTENT_PHRASES, Vocabulary
from voice.guides.library import load_library
from voice.intents import Command
from voice.listening.context import Context
from voice.listening.utterance import Utterance
from voice.testing.corpus import (
    CONDITIONS,
    DEFAULT_SIZE,
    HUMAN_KINDS,
    SNRS,
    Clip,
    Stream,
    build_corpus,
    build_stream,
    human_corpus,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

OUT = Path(__file__).parent / "out"
BASELINE_CLIPS = 60
"""Clips `recognize_sphinx` hears by default (evenly spaced over the corpus)."""
KEYWORD_SENSITIVITY = 1.0
"""SpeechRecognition turns sensitivity s into a threshold of 1e(100 s - 110), so 1.0
(its docstring's "very sensitive") is 1e-10, the strictest it allows."""

TARGETS: dict[str, float] = {
    "commands, all SNRs": 0.85,
    "names, all SNRs": 0.80,
    "commands, clean": 0.95,
    "names, clean": 0.95,
    "false accepts, chatter": 0.01,
    "false accepts, human speech": 0.01,
    "latency p50 (s)": 0.4,
    "CPU per utterance p50 (s)": 0.300,
    "start-up (s)": 3.0,
}
"""The issue's targets on the test split."""


class Listening(Protocol):
    """What this benchmark drives: `voice.listening.listener.Listener` and the baseline.
    (`expect(context)` is called where a listener has it.)"""

    def feed(self, frame: Frame) -> list[Utterance]: ...
    def flush(self) -> list[Utterance]: ...
    def reset(self) -> None: ...


@dataclass(frozen=True)
class System:
    """How to build one listener to compare, and how much of the corpus it hears."""

    build: Callable[[Vocabulary], Listening]
    subsample: bool = False
    """Hear only an evenly spaced `--baseline-size` subsample (slow systems)."""
    streams: bool = True
    """Also hear the streams (listeners that decide as they go)."""


def _factory(vocabulary: Vocabulary, **options: Any) -> Listening:
    # Imported in the system's own process, so its start-up counts the imports.
    from voice.listening.factory import build_listener

    listener: Listening = build_listener(vocabulary, **options)
    return listener


def _neural(**changes: Any) -> Any:
    from voice.listening.neural import NeuralSettings

    return NeuralSettings(**changes)


def _webrtc() -> Any:
    from voice.listening.endpoint import EndpointSettings

    return EndpointSettings.for_detector("webrtc")


SYSTEMS: dict[str, System] = {
    "default": System(lambda v: _factory(v)),
    "pocketsphinx": System(lambda v: _factory(v, engine="pocketsphinx")),
    # The default without one of its parts (with --no-context: without context).
    "no-grammar": System(lambda v: _factory(v, neural=_neural(grammar=False))),
    "no-prompt": System(lambda v: _factory(v, neural=_neural(prompt=False))),
    "whisper-alone": System(lambda v: _factory(v, neural=_neural(grammar=False, prompt=False))),
    "webrtc-vad": System(lambda v: _factory(v, endpoint=_webrtc())),
    "recognize_sphinx": System(lambda v: SphinxBaseline(v), subsample=True, streams=False),
    "recognize_sphinx+keywords": System(
        lambda v: SphinxBaseline(v, keywords=True), subsample=True, streams=False
    ),
}
"""Every system the benchmark knows; a variant is one more line."""
DEFAULT_SYSTEMS = ("default", "pocketsphinx", "recognize_sphinx")


# --- running ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one system made of one clip."""

    clip: Clip
    commands: list[Command | None] = field(default_factory=list)
    """One entry per utterance heard (None: speech judged not a command)."""
    texts: list[str] = field(default_factory=list)
    decided_s: list[float] = field(default_factory=list)
    compute_s: list[float] = field(default_factory=list)
    """Wall time of the call that produced each utterance."""
    cpu_s: list[float] = field(default_factory=list)
    """Process CPU time of the call that produced each utterance."""
    latency_s: float | None = None
    """Of the decisive utterance (the expected command, else the first command, else the
    first utterance): decided_s - speech end + the compute time of its call."""

    @property
    def accepted(self) -> list[Command]:
        return [c for c in self.commands if c is not None]

    @property
    def correct(self) -> bool:
        expected = self.clip.expected
        return self.accepted == ([] if expected is None else [expected])


@dataclass
class Run:
    """One system over its clips."""

    name: str
    outcomes: list[Outcome]
    streams: list[StreamOutcome] = field(default_factory=list)
    startup_s: float | None = None
    seconds: float = float("nan")
    peak_mb: float | None = None
    frame_s: list[float] = field(default_factory=list)
    """Wall time of every feed/flush call over the clips."""
    error: str = ""


@dataclass
class StreamOutcome:
    """Several clips heard in one go, without a reset between them."""

    stream: Stream
    heard: list[Command]
    """Every command the listener acted on, in order."""

    @property
    def expected(self) -> list[Command]:
        return [c for _, _, c in self.stream.spoken() if c is not None]

    @property
    def in_order(self) -> int:
        """Expected commands heard in order (longest common subsequence)."""
        a, b = self.expected, self.heard
        table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                table[i + 1][j + 1] = (
                    table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
                )
        return table[-1][-1]


@dataclass
class _Heard:
    """A run's results without the audio: what crosses back from the system's process."""

    per_clip: list[tuple[list[Command | None], list[str], list[float], list[float], list[float]]]
    frame_s: list[float]
    streams: list[list[Command]]
    startup_s: float
    seconds: float
    peak_mb: float | None


def run_system(
    name: str,
    clips: Sequence[Clip],
    streams: Sequence[Stream],
    vocabulary: Vocabulary,
    *,
    use_context: bool,
    fork: bool = True,
) -> Run:
    """`name` over `clips` (and `streams`), in a forked process unless `fork` is False."""
    system = SYSTEMS[name]
    streams = streams if system.streams else []
    try:
        if fork:
            heard = _in_child(_hear_all, system, clips, streams, vocabulary, use_context)
        else:
            heard = _hear_all(system, clips, streams, vocabulary, use_context)
    except Exception as error:  # one system failing must not lose the others' figures
        message = str(error).strip().splitlines()
        return Run(name, [], error=message[-1] if message else type(error).__name__)
    outcomes = []
    for clip, (commands, texts, decided, compute, cpu) in zip(clips, heard.per_clip, strict=True):
        outcome = Outcome(clip, commands, texts, decided, compute, cpu)
        outcome.latency_s = _latency_of(outcome)
        outcomes.append(outcome)
    stream_outcomes = [StreamOutcome(s, h) for s, h in zip(streams, heard.streams, strict=True)]
    return Run(
        name,
        outcomes,
        stream_outcomes,
        heard.startup_s,
        heard.seconds,
        heard.peak_mb,
        heard.frame_s,
    )


def _latency_of(o: Outcome) -> float | None:
    if not o.commands:
        return None
    hits = [i for i, c in enumerate(o.commands) if c is not None and c == o.clip.expected]
    some = [i for i, c in enumerate(o.commands) if c is not None]
    i = (hits or some or [0])[0]
    return o.decided_s[i] - o.clip.speech_end_s + o.compute_s[i]


def _hear_all(
    system: System,
    clips: Sequence[Clip],
    streams: Sequence[Stream],
    vocabulary: Vocabulary,
    use_context: bool,
) -> _Heard:
    """Runs in the system's process: build it, then hear everything."""
    rss_before = _rss_mb()
    _reset_peak_rss()
    started = time.perf_counter()
    listener = system.build(vocabulary)
    startup_s = time.perf_counter() - started
    per_clip = []
    frame_s: list[float] = []
    for clip in clips:
        context = clip.context if use_context else Context.ANY
        heard, calls = _listen(listener, clip.pcm, [(0.0, context)])
        frame_s += calls
        per_clip.append(
            (
                [u.command for u, _, _ in heard],
                [u.text for u, _, _ in heard],
                [u.decided_s for u, _, _ in heard],
                [wall for _, wall, _ in heard],
                [cpu for _, _, cpu in heard],
            )
        )
    stream_heard = []
    for stream in streams:
        contexts = [
            (off, c.context if use_context else Context.ANY)
            for off, c in zip(stream.offsets_s, stream.clips, strict=True)
        ]
        heard, _ = _listen(listener, stream.pcm, contexts)
        stream_heard.append([u.command for u, _, _ in heard if u.command is not None])
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    added = None if peak is None or rss_before is None else peak - rss_before
    return _Heard(per_clip, frame_s, stream_heard, startup_s, seconds, added)


def _listen(
    listener: Listening, pcm: Pcm, contexts: Sequence[tuple[float, Context]]
) -> tuple[list[tuple[Utterance, float, float]], list[float]]:
    """What `listener` hears in `pcm` fed as live, each utterance with the wall and CPU
    time of the call that decided it; and the wall time of every call. `contexts`:
    (from this audio time on, this context), told to listeners that have `expect`."""
    from voice.audio.format import frames_of

    listener.reset()
    expect: Callable[[Context], None] | None = getattr(listener, "expect", None)
    pending = sorted(contexts, key=lambda c: c[0])
    heard: list[tuple[Utterance, float, float]] = []
    calls: list[float] = []
    for frame in [*frames_of(pcm), None]:
        while pending and (frame is None or frame.t >= pending[0][0]):
            _, context = pending.pop(0)
            if expect is not None:
                expect(context)
        t0, c0 = time.perf_counter(), time.process_time()
        decided = listener.flush() if frame is None else listener.feed(frame)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        heard += [(u, wall, cpu) for u in decided]
        calls.append(wall)
    return heard, calls


def _in_child(fn: Callable[..., _Heard], *args: Any) -> _Heard:
    """`fn(*args)` in a forked process (the corpus is shared, not copied), its result back."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, fn, *args))
    process.start()
    send.close()
    try:
        kind, payload = receive.recv()
    except EOFError:
        kind, payload = "error", "the system's process died"
    process.join()
    if kind == "error":
        raise RuntimeError(payload)
    result: _Heard = payload
    return result


def _child(send: Connection, fn: Callable[..., _Heard], *args: Any) -> None:
    try:
        send.send(("ok", fn(*args)))
    except BaseException:
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


# --- the baseline -------------------------------------------------------------------------


class SphinxBaseline:
    """SpeechRecognition's `recognize_sphinx` the usual way, on the whole clip at its end.

    It builds a decoder on every call and searches a large language model; its words
    are mapped to a command by our `Vocabulary.match_text`. With `keywords`, every
    core command phrase and exercise name its dictionary knows is a keyword entry;
    each keyphrase it spots is a command acted on, repeats of one counted once."""

    def __init__(self, vocabulary: Vocabulary, keywords: bool = False) -> None:
        import speech_recognition as sr

        self._sr = sr
        self.vocabulary = vocabulary
        self._keywords = _keyword_entries(vocabulary) if keywords else None
        self._chunks: list[Pcm] = []
        self._end_s = 0.0

    def feed(self, frame: Frame) -> list[Utterance]:
        self._chunks.append(frame.pcm)
        self._end_s = frame.t + len(frame.pcm) / SAMPLE_RATE
        return []

    def flush(self) -> list[Utterance]:
        if not self._chunks:
            return []
        pcm, self._chunks = np.concatenate(self._chunks), []
        sr = self._sr
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(pcm.astype("<i2").tobytes())
        buffer.seek(0)
        recognizer = sr.Recognizer()
        with sr.AudioFile(buffer) as source:
            audio = recognizer.record(source)
        try:
            text = str(recognizer.recognize_sphinx(audio, keyword_entries=self._keywords))
        except sr.UnknownValueError:
            text = ""
        end = self._end_s
        if self._keywords:
            spotted = [self.vocabulary.match_text(p) for p in text.split("  ") if p.strip()]
            commands = list(dict.fromkeys(c for c in spotted if c is not None))
            return [Utterance(0.0, end, end, text, c, 1.0) for c in commands]
        if not text.strip():
            return []
        return [Utterance(0.0, end, end, text, self.vocabulary.match_text(text), 1.0)]

    def reset(self) -> None:
        self._chunks = []


def _keyword_entries(vocabulary: Vocabulary) -> list[tuple[str, float]]:
    """Each command's core phrases and each bare exercise name its dictionary knows."""
    import speech_recognition as sr

    path = Path(sr.__file__).parent / "pocketsphinx-data/en-US/pronounciation-dictionary.dict"
    known = {line.split(maxsplit=1)[0] for line in path.read_text().splitlines() if line}
    phrases = [p for intent in INTENT_PHRASES.values() for p in intent]
    phrases += list(vocabulary.exercise_phrases)
    return [
        (p, KEYWORD_SENSITIVITY) for p in sorted(set(phrases)) if all(w in known for w in p.split())
    ]


# --- the corpus ---------------------------------------------------------------------------


def _streams(clips: Sequence[Clip], n: int) -> list[Stream]:
    """`n` streams, each of one condition: four commands or names and two distractions."""
    by_condition: dict[str, tuple[list[Clip], list[Clip]]] = {}
    for clip in clips:
        if clip.kind in HUMAN_KINDS:
            continue
        wanted, other = by_condition.setdefault(clip.condition, ([], []))
        (wanted if clip.expected is not None else other).append(clip)
    conditions = [_condition_name(noise, snr) for noise, snr in CONDITIONS]
    streams = []
    for k in range(n):
        wanted, other = by_condition.get(conditions[k % len(conditions)], ([], []))
        turn = k // len(conditions)
        commands, distractions = wanted[4 * turn : 4 * turn + 4], other[2 * turn : 2 * turn + 2]
        if len(commands) == 4 and len(distractions) == 2:
            c, d = commands, distractions
            streams.append(build_stream([c[0], c[1], d[0], c[2], d[1], c[3]], gap_s=1.0))
    return streams


def _subsample(clips: Sequence[Clip], n: int) -> list[Clip]:
    """`n` evenly spaced clips: the corpus cycles kinds, voices and conditions, so do these."""
    if n <= 0:
        return []
    if n >= len(clips):
        return list(clips)
    return [clips[int(i)] for i in np.linspace(0, len(clips) - 1, n).round()]


# --- memory -------------------------------------------------------------------------------


def _status_mb(field_name: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _rss_mb() -> float | None:
    return _status_mb("VmRSS")


def _peak_rss_mb() -> float | None:
    return _status_mb("VmHWM")


def _reset_peak_rss() -> None:
    """Start the peak-memory mark afresh (Linux), so the corpus's own arrays do not count."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass


# --- main ---------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    args = _parse(argv)
    unknown = [s for s in args.systems if s not in SYSTEMS]
    if unknown:
        print(f"bench_hearing: unknown system {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    vocabulary = Vocabulary.from_library(load_library().library)
    clips = build_corpus(
        args.split, size=args.size, seed=args.seed, vocabulary=vocabulary, cache_dir=OUT / "tts"
    )
    sources: list[str] = []
    if args.human != "none":
        humans, sources = human_corpus(
            "all" if args.human == "all" else args.split,
            vocabulary=vocabulary,
            site_dirs=args.human_site,
            folder=args.human_dir,
        )
        clips += humans
    for line in sources:
        print(line, flush=True)
    built = time.perf_counter() - started
    print(f"corpus: {args.split}, {len(clips)} clips built in {built:.1f} s", flush=True)
    streams = _streams(clips, args.streams)
    runs = []
    for name in args.systems:
        heard = _subsample(clips, args.baseline_size) if SYSTEMS[name].subsample else clips
        run = run_system(
            name,
            heard,
            streams,
            vocabulary,
            use_context=args.context,
            fork=not args.in_process,
        )
        state = f"failed: {run.error}" if run.error else f"{run.seconds:.1f} s"
        print(f"{name}: {len(heard)} clips, {state}", flush=True)
        runs.append(run)
    command = "python -m benchmarks hearing " + " ".join(argv)
    table = report(clips, runs, args, command.strip(), sources)
    print(table)
    suffix = f"-{args.tag}" if args.tag else ""
    (OUT / f"hearing{suffix}.md").write_text(table + "\n", encoding="utf-8")
    _write_clips(OUT / f"hearing{suffix}_clips.jsonl", runs)
    return 0


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_hearing", description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument(
        "--size", type=int, default=None, help=f"synthetic clips (default {DEFAULT_SIZE})"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--systems",
        type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
        default=list(DEFAULT_SYSTEMS),
        help=f"comma-separated, of: {', '.join(SYSTEMS)} (default: {','.join(DEFAULT_SYSTEMS)})",
    )
    parser.add_argument(
        "--baseline-size",
        type=int,
        default=BASELINE_CLIPS,
        help="clips for the subsampled systems (recognize_sphinx)",
    )
    parser.add_argument("--streams", type=int, default=10, help="streams of six clips")
    parser.add_argument(
        "--no-context", dest="context", action="store_false", help="Context.ANY for every clip"
    )
    parser.add_argument(
        "--human",
        choices=("split", "all", "none"),
        default="split",
        help="human recordings: the split's half (default), all of them, or none",
    )
    parser.add_argument(
        "--human-site",
        action="append",
        default=[],
        help="a folder packages are installed in (pip --target), searched for human speech",
    )
    parser.add_argument("--human-dir", default=None, help="WAVs named by what is said in them")
    parser.add_argument("--in-process", action="store_true", help="no process per system")
    parser.add_argument("--tag", default="", help="name the output files hearing-TAG.md, ...")
    parser.add_argument("--quick", action="store_true", help="100 clips, subsample 30, 3 streams")
    args, _ = parser.parse_known_args(argv)
    if args.quick:
        args.size = args.size or 100
        args.baseline_size = min(args.baseline_size, 30)
        args.streams = min(args.streams, 3)
    return args


# --- report -------------------------------------------------------------------------------

Cell = Callable[[Run], str]


def report(
    clips: Sequence[Clip],
    runs: Sequence[Run],
    args: argparse.Namespace,
    command: str,
    sources: Sequence[str],
) -> str:
    counts: dict[str, int] = {}
    for clip in clips:
        counts[clip.kind] = counts.get(clip.kind, 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in counts.items())
    voices = sorted({_voice(c) for c in clips if c.kind in ("command", "name")})
    lines = [
        f"### Hearing: {args.split} split, {len(clips)} clips, seed {args.seed}"
        + ("" if args.context else ", no context"),
        "",
        f"`{command}`",
        "",
        f"Corpus: {kinds}; {len(voices)} voices at speeds "
        + ", ".join(f"{s:g}" for s in sorted({c.speed for c in clips if c.kind == "command"}))
        + "; conditions clean and "
        + ", ".join(sorted({c.noise for c in clips if c.snr_db is not None}))
        + " at "
        + "/".join(f"{s:g}" for s in SNRS)
        + " dB.",
        *(f"{line}." for line in sources),
        "",
    ]
    ok = [r for r in runs if not r.error]
    for run in runs:
        if run.error:
            lines.append(f"**{run.name} failed**: {run.error}")
    if not ok:
        return "\n".join(lines)
    lines += _table(ok, _rows())
    for run in ok:
        lines += ["", *_verdicts(run)]
    lines += ["", "Right, by voice (all speeds and conditions): commands / names", ""]
    lines += _breakdown(ok, _voice, voices, two=True)
    lines += ["", "Commands and names right, by condition and by speed:", ""]
    conditions = [_condition_name(n, s) for n, s in CONDITIONS]
    lines += _breakdown(ok, lambda c: c.condition, conditions)
    speeds = sorted({c.speed for c in clips if c.kind in ("command", "name")})
    lines += _breakdown(ok, lambda c: f"speed {c.speed:g}", [f"speed {s:g}" for s in speeds])[2:]
    lines += ["", "False accepts on chatter and non-speech, by condition:", ""]
    lines += _breakdown(ok, lambda c: c.condition, conditions, ("chatter", "nonspeech"), True)
    lines += ["", "False accepts on everything that must give nothing, by context:", ""]
    negatives = ("chatter", "nonspeech", *HUMAN_KINDS)
    lines += _breakdown(
        ok, lambda c: c.context.value, ["waiting", "exercise", "any"], negatives, True
    )
    lines += ["", *_notes(ok)]
    return "\n".join(lines)


def _rows() -> list[tuple[str, str, Cell]]:
    t = TARGETS
    rows: list[tuple[str, str, Cell]] = [
        ("commands right, all SNRs", _ge(t["commands, all SNRs"]), lambda r: _pct(r, "command")),
        ("names right, all SNRs", _ge(t["names, all SNRs"]), lambda r: _pct(r, "name")),
        ("commands right, clean", _ge(t["commands, clean"]), lambda r: _pct(r, "command", None)),
        ("names right, clean", _ge(t["names, clean"]), lambda r: _pct(r, "name", None)),
    ]
    for snr in SNRS:
        rows.append((f"commands right, {snr:g} dB", "", _pct_at("command", snr)))
    for snr in SNRS:
        rows.append((f"names right, {snr:g} dB", "", _pct_at("name", snr)))
    chatter, human = t["false accepts, chatter"], t["false accepts, human speech"]
    rows += [
        ("wrong command accepted (commands + names)", "", _wrong),
        ("false accepts, chatter", _le(chatter), lambda r: _false(r, "chatter")),
        ("false accepts, non-speech", "", lambda r: _false(r, "nonspeech")),
        ("false accepts, human utterances", _le(human), lambda r: _false(r, "human_utterance")),
        ("false accepts, human 3 s windows", _le(human), lambda r: _false(r, "human_window")),
        ("false accepts, other human words", _le(human), lambda r: _false(r, "human_word")),
        ("human command words right", "", lambda r: _pct(r, "human_command")),
        ("decision latency p50 / p95", f"p50 <= {t['latency p50 (s)']:g} s", _latency),
        (
            "CPU per utterance p50 / p95",
            f"<= {1000 * t['CPU per utterance p50 (s)']:.0f} ms",
            _cpu,
        ),
        ("compute per 20 ms frame p50 / p99", "", _per_frame),
        ("peak memory added", "", lambda r: "-" if r.peak_mb is None else f"{r.peak_mb:.0f} MB"),
        ("start-up (build the listener)", f"<= {t['start-up (s)']:g} s", _startup),
        ("wall time (real-time factor)", "", _wall),
        ("streams: exactly right; commands in order; extra", "each once, in order", _streams_cell),
    ]
    return rows


def _table(runs: Sequence[Run], rows: Sequence[tuple[str, str, Cell]]) -> list[str]:
    lines = [
        "| metric | target | " + " | ".join(f"{r.name} ({len(r.outcomes)})" for r in runs) + " |",
        "|---|---|" + "---|" * len(runs),
    ]
    for name, target, cell in rows:
        lines.append(f"| {name} | {target} | " + " | ".join(cell(r) for r in runs) + " |")
    return lines


def _ge(x: float) -> str:
    return f">= {100 * x:.0f}%"


def _le(x: float) -> str:
    return f"<= {100 * x:.0f}%"


def _verdicts(run: Run) -> list[str]:
    """Each target against this system's figure, with the miss spelled out."""
    t = TARGETS
    checks: list[tuple[str, float | None, float, bool, str]] = [
        ("commands, all SNRs", _rate(run, ("command",)), t["commands, all SNRs"], True, "%"),
        ("names, all SNRs", _rate(run, ("name",)), t["names, all SNRs"], True, "%"),
        ("commands, clean", _rate(run, ("command",), None), t["commands, clean"], True, "%"),
        ("names, clean", _rate(run, ("name",), None), t["names, clean"], True, "%"),
        (
            "false accepts, chatter",
            _rate(run, ("chatter",), right=False),
            t["false accepts, chatter"],
            False,
            "%",
        ),
    ]
    for kind in ("human_utterance", "human_window", "human_word"):
        checks.append(
            (
                f"false accepts, {kind.replace('_', ' ')}s",
                _rate(run, (kind,), right=False),
                t["false accepts, human speech"],
                False,
                "%",
            )
        )
    latencies = _latencies(run)
    cpu = [c for o in run.outcomes for c in o.cpu_s]
    checks += [
        (
            "latency p50",
            float(np.median(latencies)) if latencies else None,
            t["latency p50 (s)"],
            False,
            "s",
        ),
        (
            "CPU per utterance p50",
            float(np.median(cpu)) if cpu else None,
            t["CPU per utterance p50 (s)"],
            False,
            "ms",
        ),
        ("start-up", run.startup_s, t["start-up (s)"], False, "s"),
    ]
    lines = [f"Targets ({run.name}):", ""]
    for name, value, target, at_least, unit in checks:
        if value is None:
            lines.append(f"- {name}: not measured")
            continue
        met = value >= target if at_least else value <= target
        verdict = "met" if met else f"MISSED by {_amount(abs(value - target), unit, gap=True)}"
        goal = f"{'>=' if at_least else '<='} {_amount(target, unit)}"
        lines.append(f"- {name}: {_amount(value, unit)} (target {goal}): {verdict}")
    return lines


def _amount(value: float, unit: str, gap: bool = False) -> str:
    if unit == "%":
        return f"{100 * value:.1f} points" if gap else f"{100 * value:.1f}%"
    if unit == "ms":
        return f"{1000 * value:.0f} ms"
    return f"{value:.2f} s"


def _condition_name(noise: str, snr: float | None) -> str:
    return "clean" if snr is None else f"{noise}@{snr:g}"


def _voice(clip: Clip) -> str:
    return clip.voice.rsplit("@", 1)[0]


def _select(run: Run, kinds: Iterable[str], snr: float | str | None = "any") -> list[Outcome]:
    kinds = tuple(kinds)
    return [
        o for o in run.outcomes if o.clip.kind in kinds and (snr == "any" or o.clip.snr_db == snr)
    ]


def _rate(
    run: Run, kinds: Iterable[str], snr: float | str | None = "any", right: bool = True
) -> float | None:
    chosen = _select(run, kinds, snr)
    if not chosen:
        return None
    return sum(o.correct if right else bool(o.accepted) for o in chosen) / len(chosen)


def _pct(run: Run, kind: str, snr: float | str | None = "any") -> str:
    chosen = _select(run, (kind,), snr)
    if not chosen:
        return "-"
    right = sum(o.correct for o in chosen)
    return f"{100 * right / len(chosen):.1f}% ({right}/{len(chosen)})"


def _pct_at(kind: str, snr: float) -> Cell:
    return lambda run: _pct(run, kind, snr)


def _false(run: Run, kind: str) -> str:
    chosen = _select(run, (kind,))
    if not chosen:
        return "-"
    wrong = sum(bool(o.accepted) for o in chosen)
    return f"{100 * wrong / len(chosen):.1f}% ({wrong}/{len(chosen)})"


def _wrong(run: Run) -> str:
    chosen = _select(run, ("command", "name"))
    if not chosen:
        return "-"
    wrong = sum(any(c != o.clip.expected for c in o.accepted) for o in chosen)
    return f"{100 * wrong / len(chosen):.1f}% ({wrong}/{len(chosen)})"


def _latencies(run: Run) -> list[float]:
    return [
        o.latency_s
        for o in run.outcomes
        if o.correct and o.clip.expected is not None and o.latency_s is not None
    ]


def _latency(run: Run) -> str:
    return _p50_p95(_latencies(run), 1.0, "s", 2)


def _cpu(run: Run) -> str:
    return _p50_p95([c for o in run.outcomes for c in o.cpu_s], 1000.0, "ms", 0)


def _per_frame(run: Run) -> str:
    values = [1000 * d for d in run.frame_s]
    if not values:
        return "-"
    p50, p99 = np.percentile(values, [50, 99])
    return f"{p50:.2f} / {p99:.1f} ms"


def _startup(run: Run) -> str:
    return "-" if run.startup_s is None else f"{run.startup_s:.2f} s"


def _wall(run: Run) -> str:
    audio_s = sum(o.clip.duration_s for o in run.outcomes)
    if run.seconds != run.seconds or not audio_s:
        return "-"
    return f"{run.seconds:.0f} s ({run.seconds / audio_s:.3f})"


def _streams_cell(run: Run) -> str:
    if not run.streams:
        return "-"
    expected = sum(len(s.expected) for s in run.streams)
    in_order = sum(s.in_order for s in run.streams)
    extra = sum(len(s.heard) - s.in_order for s in run.streams)
    whole = sum(s.in_order == len(s.expected) == len(s.heard) for s in run.streams)
    return f"{whole}/{len(run.streams)}; {in_order}/{expected}; {extra}"


def _p50_p95(values: list[float], scale: float, unit: str, digits: int) -> str:
    if not values:
        return "-"
    p50, p95 = np.percentile([v * scale for v in values], [50, 95])
    return f"{p50:.{digits}f} / {p95:.{digits}f} {unit}"


def _breakdown(
    runs: Sequence[Run],
    key: Callable[[Clip], str],
    labels: Sequence[str],
    kinds: tuple[str, ...] = ("command", "name"),
    false_accepts: bool = False,
    two: bool = False,
) -> list[str]:
    """One row per label, one column per system: right (or accepted) of the clips of
    `kinds` under that label; `two`: commands and names in one cell, apart."""
    lines = ["| | " + " | ".join(r.name for r in runs) + " |", "|---|" + "---|" * len(runs)]
    for label in labels:
        cells = []
        for run in runs:
            groups = [("command",), ("name",)] if two else [kinds]
            parts = []
            for group in groups:
                chosen = [o for o in run.outcomes if o.clip.kind in group and key(o.clip) == label]
                if not chosen:
                    parts.append("-")
                    continue
                hits = sum(bool(o.accepted) if false_accepts else o.correct for o in chosen)
                parts.append(f"{100 * hits / len(chosen):.0f}% ({hits}/{len(chosen)})")
            cells.append(" / ".join(parts))
        if any(c.strip("-/ ") for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _notes(runs: Sequence[Run]) -> list[str]:
    return [
        "Notes: a clip is right when exactly its command comes out (talk, sounds and human",
        "speech: none). Latency: `decided_s` - true end of speech + the compute time of the",
        "deciding call, over clips heard right; recognize_sphinx hears the whole clip, so its",
        "latency is the clip's 0.8 s tail plus its decode. CPU per utterance: process CPU time",
        "(all threads) of the call that produced each utterance. Peak memory: growth of the",
        "system's process's resident memory from before building it to the end. Start-up:",
        "building the listener for the bundled library, imports included, in a fresh process.",
        "Each system ran in its own process, one after another: "
        + ", ".join(r.name for r in runs)
        + ".",
    ]


def _write_clips(path: Path, runs: Sequence[Run]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for run in runs:
            for o in run.outcomes:
                c = o.clip
                row = {
                    "system": run.name,
                    "kind": c.kind,
                    "text": c.text,
                    "expected": _command_json(c.expected),
                    "heard": [_command_json(x) for x in o.commands],
                    "texts": o.texts,
                    "context": c.context.value,
                    "correct": o.correct,
                    "voice": c.voice,
                    "condition": c.condition,
                    "source": c.source,
                    "speech_s": [round(c.speech_start_s, 3), round(c.speech_end_s, 3)],
                    "decided_s": [round(d, 3) for d in o.decided_s],
                    "latency_s": None if o.latency_s is None else round(o.latency_s, 3),
                    "compute_ms": [round(1000 * d, 1) for d in o.compute_s],
                    "cpu_ms": [round(1000 * d, 1) for d in o.cpu_s],
                }
                f.write(json.dumps(row) + "\n")


def _command_json(command: Command | None) -> list[object] | None:
    if command is None:
        return None
    arg = command.arg
    return [command.intent.value, list(arg) if isinstance(arg, tuple) else arg]
