"""Hearing: our listener against SpeechRecognition's `recognize_sphinx`, side by side.

Both hear the same synthesized corpus (`voice.testing.corpus`): commands,
exercise names, chatter and non-speech, in several voices, speeds and noises.

- Ours: one `Listener` built once from the bundled library's vocabulary, fed
  each clip frame by frame as if live (`reset()` between clips). A clip is
  right when exactly its expected command comes out (intent and argument),
  and, for chatter and non-speech, when no command does. Then a few streams
  of six clips each, heard without a reset, for commands given in order.
- Baseline, the usual way: `AudioFile` + `Recognizer.record()` of the whole
  clip, then `recognize_sphinx()` with its defaults (open vocabulary), the
  words mapped to a command by our own `Vocabulary.match_text`. It builds a
  decoder on every call and searches a large language model (1-3 s a noisy
  clip), so it hears an evenly spaced subsample of the corpus, decoded on
  worker processes. Also its `keyword_entries` variant, listing every core
  command phrase and exercise name its dictionary knows: each keyphrase it
  spots is mapped by `match_text`, and the distinct commands are what it did.

Run: `python -m benchmarks bench_hearing --split=test` (or `make bench
ARGS="hearing --split=test"`; `benchmarks/__main__` only passes arguments that
start with "-", so write `--split=test`, not `--split test`). The table goes
to stdout and to benchmarks/out/hearing.md, one JSON line per clip to
benchmarks/out/hearing_clips.jsonl (for finding what goes wrong). Synthesized
speech is cached in benchmarks/out/tts.
"""

from __future__ import annotations

import argparse
import io
import json
import time
import wave
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from voice.commands import INTENT_PHRASES, Vocabulary
from voice.guides.library import load_library
from voice.intents import Command
from voice.listening.audio import SAMPLE_RATE, Frame, Pcm
from voice.listening.utterance import Utterance
from voice.testing.corpus import CONDITIONS, Clip, Stream, build_corpus, build_stream, describe

OUT = Path(__file__).parent / "out"
KEYWORD_SENSITIVITY = 1.0
"""SpeechRecognition turns sensitivity s into a threshold of 1e(100 s - 110), so 1.0
(its docstring's "very sensitive") is 1e-10, the strictest it allows: the fewest
false accepts this variant can have."""

TARGETS = {
    "clean": 0.98,
    "10 dB": 0.95,
    "5 dB": 0.85,
    "false accepts": 0.01,
    "latency p50": 0.3,
    "decode p95": 0.030,
}


@dataclass
class Outcome:
    """What one recognizer made of one clip."""

    clip: Clip
    commands: list[Command | None] = field(default_factory=list)
    """One entry per utterance heard (None: speech judged not a command)."""
    texts: list[str] = field(default_factory=list)
    latency_s: float | None = None
    """When the expected command (or, failing that, the first decision) came, after speech end."""
    decode_s: list[float] = field(default_factory=list)
    """Seconds of compute spent in each call that produced a decision."""
    calls_s: list[float] = field(default_factory=list)
    """Seconds of compute of every feed/flush call (ours only)."""

    @property
    def accepted(self) -> list[Command]:
        return [c for c in self.commands if c is not None]

    @property
    def correct(self) -> bool:
        expected = self.clip.expected
        return self.accepted == ([] if expected is None else [expected])


@dataclass
class Run:
    """One recognizer over a set of clips."""

    name: str
    outcomes: list[Outcome]
    seconds: float
    peak_mb: float | None
    note: str = ""


def main(argv: list[str]) -> int:
    args = _parse(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    library = load_library().library
    vocabulary = Vocabulary.from_library(library)
    clips = build_corpus(
        args.split, size=args.size, seed=args.seed, vocabulary=vocabulary, cache_dir=OUT / "tts"
    )
    built = time.perf_counter() - started
    print(f"corpus: {args.split}, {len(clips)} clips built in {built:.1f} s", flush=True)
    ours, streams = run_ours(clips, vocabulary, args.streams)
    runs = [ours]
    print(f"ours: {runs[0].seconds:.1f} s", flush=True)
    subsample = _subsample(clips, args.baseline_size)
    if subsample:
        runs.append(run_ours_subset(runs[0], subsample))
        runs.append(run_baseline(subsample, vocabulary, None, args.jobs))
        print(f"recognize_sphinx: {runs[-1].seconds:.1f} s", flush=True)
        if args.keywords:
            entries = _keyword_entries(vocabulary)
            runs.append(run_baseline(subsample, vocabulary, entries, args.jobs))
            print(f"recognize_sphinx keywords: {runs[-1].seconds:.1f} s", flush=True)
    command = "python -m benchmarks bench_hearing " + " ".join(argv)
    table = report(clips, runs, streams, args, command.strip())
    print(table)
    (OUT / "hearing.md").write_text(table + "\n", encoding="utf-8")
    _write_clips(OUT / "hearing_clips.jsonl", runs)
    return 0


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_hearing", description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--size", type=int, default=None, help="clips (default: the corpus's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--baseline-size", type=int, default=120, help="clips for recognize_sphinx (0: skip it)"
    )
    parser.add_argument("--streams", type=int, default=10, help="streams of six clips, ours only")
    parser.add_argument("--no-keywords", dest="keywords", action="store_false")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the baseline")
    parser.add_argument("--quick", action="store_true", help="100 clips, baseline on 30")
    args, _ = parser.parse_known_args(argv)
    if args.quick:
        args.size, args.baseline_size = args.size or 100, min(args.baseline_size, 30)
    return args


# --- ours ---------------------------------------------------------------------------------


class Listening(Protocol):
    """The part of `voice.listening.listener.Listener` this benchmark drives."""

    def feed(self, frame: Frame) -> list[Utterance]: ...
    def flush(self) -> list[Utterance]: ...
    def reset(self) -> None: ...


def run_ours(
    clips: Sequence[Clip], vocabulary: Vocabulary, n_streams: int
) -> tuple[Run, list[StreamOutcome]]:
    """Every clip through one long-lived Listener, frame by frame; then a few streams."""
    # Imported here so the corpus and baseline halves can be read without the listener.
    from voice.listening.listener import Listener

    rss_before = _rss_mb()
    _reset_peak_rss()
    started = time.perf_counter()
    listener: Listening = Listener(vocabulary)
    load_s = time.perf_counter() - started
    outcomes = [_outcome(clip, *_listen(listener, clip.pcm)) for clip in clips]
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    added = None if peak is None or rss_before is None else peak - rss_before
    run = Run("ours", outcomes, seconds, added, f"model load {load_s:.1f} s")
    streams = [_stream_outcome(s, _listen(listener, s.pcm)[0]) for s in _streams(clips, n_streams)]
    return run, streams


def _listen(listener: Listening, pcm: Pcm) -> tuple[list[Utterance], list[float], list[float]]:
    """What `listener` hears in `pcm` fed as live, the compute time of each decision, and
    the compute time of every call (a live listener must keep up with each frame)."""
    from voice.listening.sources import PcmSource

    listener.reset()
    heard: list[Utterance] = []
    decode_s: list[float] = []
    calls_s: list[float] = []
    for frame in [*PcmSource(pcm).frames(), None]:
        t0 = time.perf_counter()
        decided = listener.flush() if frame is None else listener.feed(frame)
        spent = time.perf_counter() - t0
        heard += decided
        decode_s += [spent] * len(decided)
        calls_s.append(spent)
    return heard, decode_s, calls_s


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


def _streams(clips: Sequence[Clip], n: int) -> list[Stream]:
    """`n` streams, each of one condition: four commands or names and two distractions."""
    by_condition: dict[str, tuple[list[Clip], list[Clip]]] = {}
    for clip in clips:
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


def _stream_outcome(stream: Stream, heard: list[Utterance]) -> StreamOutcome:
    return StreamOutcome(stream, [u.command for u in heard if u.command is not None])


def _outcome(
    clip: Clip, heard: list[Utterance], decode_s: list[float], calls_s: list[float]
) -> Outcome:
    outcome = Outcome(clip, [u.command for u in heard], [u.text for u in heard])
    outcome.decode_s = decode_s
    outcome.calls_s = calls_s
    # Latency of the decision that matters: the expected command, else the first one.
    hits = [u for u in heard if clip.expected is not None and u.command == clip.expected]
    if hits or heard:
        outcome.latency_s = (hits or heard)[0].decided_s - clip.speech_end_s
    return outcome


def run_ours_subset(full: Run, subsample: Sequence[Clip]) -> Run:
    wanted = {id(c) for c in subsample}
    outcomes = [o for o in full.outcomes if id(o.clip) in wanted]
    return Run("ours (same subsample)", outcomes, float("nan"), None)


# --- baseline -----------------------------------------------------------------------------


def run_baseline(
    clips: Sequence[Clip],
    vocabulary: Vocabulary,
    keyword_entries: list[tuple[str, float]] | None,
    jobs: int,
) -> Run:
    """`recognize_sphinx` on each clip, as its documentation shows, on `jobs` processes."""
    started = time.perf_counter()
    jobs_in = [(c.pcm.tobytes(), keyword_entries) for c in clips]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(_recognize_sphinx, jobs_in, chunksize=4))
    seconds = time.perf_counter() - started
    outcomes = []
    for clip, (text, decode_s, _peak) in zip(clips, results, strict=True):
        outcome = Outcome(clip, decode_s=[decode_s], texts=[text])
        if keyword_entries:
            # Each keyphrase spotted is a command acted on; repeats of one count once.
            spotted = [vocabulary.match_text(p) for p in text.split("  ") if p.strip()]
            outcome.commands = list(dict.fromkeys(c for c in spotted if c is not None))
        elif text.strip():
            outcome.commands = [vocabulary.match_text(text)]
        # It hears the whole clip, so it decides after the tail, plus its decode.
        outcome.latency_s = clip.duration_s - clip.speech_end_s + decode_s
        outcomes.append(outcome)
    peaks = [p for _, _, p in results if p is not None]
    name = "recognize_sphinx" + (" + keyword_entries" if keyword_entries else "")
    return Run(name, outcomes, seconds, max(peaks) if peaks else None, f"{jobs} processes")


def _recognize_sphinx(
    job: tuple[bytes, list[tuple[str, float]] | None],
) -> tuple[str, float, float | None]:
    """Runs in a worker: the usual way, from a WAV file to words."""
    import speech_recognition as sr

    raw, keyword_entries = job
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(raw)
    buffer.seek(0)
    recognizer = sr.Recognizer()
    with sr.AudioFile(buffer) as source:
        audio = recognizer.record(source)
    rss_before = _rss_mb()
    _reset_peak_rss()
    started = time.perf_counter()
    try:
        text = recognizer.recognize_sphinx(audio, keyword_entries=keyword_entries)
    except sr.UnknownValueError:
        text = ""
    spent = time.perf_counter() - started
    peak = _peak_rss_mb()
    return text, spent, None if peak is None or rss_before is None else peak - rss_before


def _keyword_entries(vocabulary: Vocabulary) -> list[tuple[str, float]]:
    """Each command's core phrases and each bare exercise name, as a user would list them.

    Only phrases whose words Sphinx's dictionary has (it fails on the others).
    """
    import speech_recognition as sr

    path = Path(sr.__file__).parent / "pocketsphinx-data/en-US/pronounciation-dictionary.dict"
    known = {line.split(maxsplit=1)[0] for line in path.read_text().splitlines() if line}
    phrases = [p for intent in INTENT_PHRASES.values() for p in intent]
    phrases += list(vocabulary.exercise_phrases)
    return [
        (p, KEYWORD_SENSITIVITY) for p in sorted(set(phrases)) if all(w in known for w in p.split())
    ]


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


# --- report -------------------------------------------------------------------------------


def report(
    clips: Sequence[Clip],
    runs: Sequence[Run],
    streams: Sequence[StreamOutcome],
    args: argparse.Namespace,
    command: str,
) -> str:
    counts = describe(clips)
    kinds = ", ".join(
        f"{counts.get(k, 0)} {k}" for k in ("command", "name", "chatter", "nonspeech")
    )
    voices = sorted({c.voice for c in clips if c.kind in ("command", "name")})
    speeds = sorted({c.speed for c in clips if c.kind in ("command", "name")})
    lines = [
        f"### Hearing: {args.split} split, {len(clips)} clips, seed {args.seed}",
        "",
        f"`{command}`",
        "",
        f"Corpus: {kinds}; {len(voices)} voice/speed pairs; conditions "
        + ", ".join(_condition_name(n, s) for n, s in CONDITIONS)
        + ".",
        "",
        "| metric | target | " + " | ".join(f"{r.name} ({len(r.outcomes)})" for r in runs) + " |",
        "|---|---|" + "---|" * len(runs),
    ]
    rows: list[tuple[str, str, Callable[[Run], str]]] = [
        ("commands right, all", "", lambda r: _pct(r, kinds_=("command",))),
        ("names right, all", "", lambda r: _pct(r, kinds_=("name",))),
        ("commands right, clean", ">= 98%", lambda r: _pct(r, ("command",), snr=None)),
        ("names right, clean", ">= 98%", lambda r: _pct(r, ("name",), snr=None)),
        ("commands + names, 20 dB", "", lambda r: _pct(r, ("command", "name"), snr=20.0)),
        ("commands + names, 10 dB", ">= 95%", lambda r: _pct(r, ("command", "name"), snr=10.0)),
        ("commands + names, 5 dB", ">= 85%", lambda r: _pct(r, ("command", "name"), snr=5.0)),
        ("false accepts, chatter", "<= 1%", lambda r: _false(r, "chatter")),
        ("false accepts, non-speech", "<= 1%", lambda r: _false(r, "nonspeech")),
        ("decision latency p50 / p95", "p50 <= 0.3 s", _latency),
        ("decode per utterance p50 / p95", "<= 30 ms", _decode),
        ("compute per 20 ms frame p50 / p99", "", _per_frame),
        ("peak memory added", "", lambda r: "" if r.peak_mb is None else f"{r.peak_mb:.0f} MB"),
        ("wall time", "", lambda r: "" if r.seconds != r.seconds else f"{r.seconds:.0f} s"),
    ]
    for name, target, cell in rows:
        lines.append(f"| {name} | {target} | " + " | ".join(cell(r) for r in runs) + " |")
    lines += ["", *_verdicts(runs[0]), "", "Commands and names right, by condition:", ""]
    lines += _breakdown(runs, lambda c: c.condition, [_condition_name(n, s) for n, s in CONDITIONS])
    lines += ["", "Commands and names right, by voice (all speeds) and by speed (all voices):", ""]
    lines += _breakdown(
        runs,
        lambda c: c.voice.rsplit("@", 1)[0],
        sorted({v.rsplit("@", 1)[0] for v in voices}),
    )
    lines += _breakdown(runs, lambda c: f"speed {c.speed:g}", [f"speed {s:g}" for s in speeds])[2:]
    lines += ["", "False accepts on chatter and non-speech, by condition:", ""]
    lines += _breakdown(
        runs,
        lambda c: c.condition,
        [_condition_name(n, s) for n, s in CONDITIONS],
        kinds_=("chatter", "nonspeech"),
        false_accepts=True,
    )
    if streams:
        expected = sum(len(s.expected) for s in streams)
        in_order = sum(s.in_order for s in streams)
        extra = sum(len(s.heard) - s.in_order for s in streams)
        whole = sum(s.in_order == len(s.expected) == len(s.heard) for s in streams)
        lines += [
            "",
            f"Streams (ours, no reset inside a stream): {len(streams)} streams of four commands"
            f" and two distractions; {whole} heard exactly right; {in_order}/{expected}"
            f" commands heard in order, {extra} commands too many.",
        ]
    lines += ["", *_notes(runs)]
    return "\n".join(lines)


def _verdicts(run: Run) -> list[str]:
    """Each target against our figure, with the miss spelled out."""

    def rate(kinds_: tuple[str, ...], snr: float | str | None, right: bool = True) -> float | None:
        chosen = _select(run, kinds_, snr)
        if not chosen:
            return None
        hits = sum(o.correct if right else bool(o.accepted) for o in chosen)
        return hits / len(chosen)

    latencies = [
        o.latency_s
        for o in run.outcomes
        if o.correct and o.clip.expected and o.latency_s is not None
    ]
    decodes = [d for o in run.outcomes for d in o.decode_s]
    checks: list[tuple[str, float | None, float, bool, str]] = [
        ("commands clean", rate(("command",), None), TARGETS["clean"], True, "%"),
        ("names clean", rate(("name",), None), TARGETS["clean"], True, "%"),
        ("commands + names at 10 dB", rate(("command", "name"), 10.0), TARGETS["10 dB"], True, "%"),
        ("commands + names at 5 dB", rate(("command", "name"), 5.0), TARGETS["5 dB"], True, "%"),
        (
            "false accepts on chatter",
            rate(("chatter",), "any", False),
            TARGETS["false accepts"],
            False,
            "%",
        ),
        (
            "false accepts on non-speech",
            rate(("nonspeech",), "any", False),
            TARGETS["false accepts"],
            False,
            "%",
        ),
        (
            "latency p50",
            float(np.median(latencies)) if latencies else None,
            TARGETS["latency p50"],
            False,
            "s",
        ),
        (
            "decode p95",
            float(np.percentile(decodes, 95)) if decodes else None,
            TARGETS["decode p95"],
            False,
            "ms",
        ),
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


def _select(run: Run, kinds_: Iterable[str], snr: float | str | None = "any") -> list[Outcome]:
    kinds_ = tuple(kinds_)
    return [
        o for o in run.outcomes if o.clip.kind in kinds_ and (snr == "any" or o.clip.snr_db == snr)
    ]


def _pct(run: Run, kinds_: Iterable[str], snr: float | str | None = "any") -> str:
    chosen = _select(run, kinds_, snr)
    if not chosen:
        return "-"
    right = sum(o.correct for o in chosen)
    return f"{100 * right / len(chosen):.1f}% ({right}/{len(chosen)})"


def _false(run: Run, kind: str) -> str:
    chosen = _select(run, (kind,))
    if not chosen:
        return "-"
    wrong = sum(bool(o.accepted) for o in chosen)
    return f"{100 * wrong / len(chosen):.1f}% ({wrong}/{len(chosen)})"


def _latency(run: Run) -> str:
    values = [
        o.latency_s
        for o in run.outcomes
        if o.correct and o.clip.expected is not None and o.latency_s is not None
    ]
    return _p50_p95(values, "s", 2)


def _decode(run: Run) -> str:
    values = [d * 1000 for o in run.outcomes for d in o.decode_s]
    return _p50_p95(values, "ms", 1)


def _per_frame(run: Run) -> str:
    values = [d * 1000 for o in run.outcomes for d in o.calls_s]
    if not values:
        return ""
    p50, p99 = np.percentile(values, [50, 99])
    return f"{p50:.2f} / {p99:.2f} ms"


def _p50_p95(values: list[float], unit: str, digits: int) -> str:
    if not values:
        return "-"
    p50, p95 = np.percentile(values, [50, 95])
    return f"{p50:.{digits}f} / {p95:.{digits}f} {unit}"


def _breakdown(
    runs: Sequence[Run],
    key: Callable[[Clip], str],
    labels: Sequence[str],
    kinds_: tuple[str, ...] = ("command", "name"),
    false_accepts: bool = False,
) -> list[str]:
    shown = [r for r in runs if r.name != "ours (same subsample)"]
    lines = ["| | " + " | ".join(r.name for r in shown) + " |", "|---|" + "---|" * len(shown)]
    for label in labels:
        cells = []
        for run in shown:
            chosen = [o for o in run.outcomes if o.clip.kind in kinds_ and key(o.clip) == label]
            if not chosen:
                cells.append("-")
                continue
            hits = sum(bool(o.accepted) if false_accepts else o.correct for o in chosen)
            cells.append(f"{100 * hits / len(chosen):.0f}% ({hits}/{len(chosen)})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _notes(runs: Sequence[Run]) -> list[str]:
    notes = [
        "Notes: a clip is right when exactly its command comes out (chatter and non-speech:",
        "none). Latency is `decided_s` minus the true end of speech, over clips heard right;",
        "for recognize_sphinx, which is given the whole clip, it is the 0.8 s tail plus its",
        "decode. Decode is the compute time of the call that produced a decision (ours: the",
        "`feed`/`flush` call; the baseline: `recognize_sphinx`, which builds its decoder",
        "every call). Peak memory is the growth of resident memory over the run.",
    ]
    for run in runs:
        if run.note:
            notes.append(f"{run.name}: {run.note}.")
    ours = runs[0]
    audio_s = sum(o.clip.duration_s for o in ours.outcomes)
    notes.append(
        f"ours: {audio_s:.0f} s of audio in {ours.seconds:.1f} s "
        f"({ours.seconds / audio_s:.3f} of real time)."
    )
    return notes


def _write_clips(path: Path, runs: Sequence[Run]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for run in runs:
            if run.name == "ours (same subsample)":
                continue
            for o in run.outcomes:
                c = o.clip
                row = {
                    "run": run.name,
                    "kind": c.kind,
                    "text": c.text,
                    "expected": _command_json(c.expected),
                    "heard": [_command_json(x) for x in o.commands],
                    "texts": o.texts,
                    "correct": o.correct,
                    "voice": c.voice,
                    "condition": c.condition,
                    "speech_s": [round(c.speech_start_s, 3), round(c.speech_end_s, 3)],
                    "latency_s": None if o.latency_s is None else round(o.latency_s, 3),
                    "decode_ms": [round(1000 * d, 1) for d in o.decode_s],
                }
                f.write(json.dumps(row) + "\n")


def _command_json(command: Command | None) -> list[object] | None:
    if command is None:
        return None
    arg = command.arg
    return [command.intent.value, list(arg) if isinstance(arg, tuple) else arg]
