"""The coach's voice and countdown, measured on the real path.

- drift: holds counted on the real clock (`MonotonicClock`, a loop sleeping to
  each 20 ms frame) while real synthesis (pyttsx3, else espeak-ng) speaks the
  cues: the moment the loop sees a 60 s hold end, minus its start, within 20 ms
  of 60 s; ten holds back to back (each started on the frame the previous one
  ended) add up to no more than ten frames' worth of lateness, not a growing sum;
- interrupt latency: `stop()` to silence at the playback edge (p95 <= 100 ms),
  through `SoundDeviceOut`'s callback driven by a fake device thread that asks
  for a 20 ms block every 20 ms of real time, as PortAudio does (this machine
  has no sound device). Reported: `stop()` to the first silent block handed to
  the device, and that plus one block still in the device's buffer;
- soak: 500 lines and 200 interruptions through one `CoachSpeaker` with real
  synthesis, on a virtual clock: no deadlock (a watchdog), every line one end
  event, RSS after the first 100 lines vs at the end;
- synthesis latency: text to first audio (whole-line synthesis: neither engine
  streams) for a typical step sentence, p50, per engine, uncached.

`python -m benchmarks speaking [--quick] [--long]`: `--quick` shortens every
part for a smoke run; `--long` makes the ten holds 60 s each (ten minutes).
"""

from __future__ import annotations

import argparse
import faulthandler
import itertools
import math
import os
import random
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from voice.audio import FRAME_S, SAMPLE_RATE, Pcm
from voice.clock import MonotonicClock, VirtualClock
from voice.coaching.counting import SpokenCountdown
from voice.events import Event, Said, SayEnd, Tick
from voice.speaking.coach_speaker import CoachSpeaker
from voice.speaking.outputs import SoundDeviceOut, TimelineOut
from voice.speaking.synth import (
    CachedSynth,
    CaptionOnlySynth,
    EspeakSynth,
    FallbackSynth,
    Pyttsx3Synth,
    SynthError,
    Synthesizer,
)

STEP_SENTENCE = (
    "Lie on your back with your knees bent and your feet flat on the floor, hip width apart."
)
KEY_POINTS = ("Keep your chin tucked.", "Squeeze your glutes at the top.", "Breathe out.")


@dataclass
class Row:
    measure: str
    target: str
    result: str
    ok: bool | None
    """None: reported only, no target."""


def real_synth() -> tuple[Synthesizer, list[str]]:
    """The coach's own chain (pyttsx3, then espeak-ng, then captions), cached, and its log."""
    notes: list[str] = []
    chain = FallbackSynth(
        [Pyttsx3Synth(), EspeakSynth(), CaptionOnlySynth()], on_fallback=notes.append
    )
    return CachedSynth(chain), notes


# -- drift ------------------------------------------------------------------------


@dataclass
class HoldRun:
    nominal_s: float
    origin: float
    """The frame time the hold was started at."""
    seen_end: float
    """Real clock time when the loop's update saw the hold finish."""
    audible_s: float
    """From the start of "Hold." to the start of "And release." (when each was played)."""
    tick_late_max: float
    """Worst real lateness of a tick's report behind its scheduled time."""


def run_holds(seconds: Sequence[int], synth: Synthesizer) -> list[HoldRun]:
    """Holds back to back on the real clock, the way the coaching loop drives them: one
    pass per 20 ms frame, each hold started at the frame time the previous one ended."""
    clock = MonotonicClock()
    speaker = CoachSpeaker(clock, synth, TimelineOut(keep_s=5.0))
    countdown = SpokenCountdown(clock, speaker)
    runs: list[HoldRun] = []
    # As in a session, the step is read first; its hold starts on the frame it ends.
    speaker.say(STEP_SENTENCE)
    frame = 0
    while speaker.speaking:
        frame += 1
        clock.sleep_until(frame * FRAME_S)
        speaker.update()
    for nominal in seconds:
        origin = frame * FRAME_S
        countdown.start(nominal, KEY_POINTS, at=origin)
        late = 0.0
        said: dict[str, float] = {}
        while True:
            clock.sleep_until(frame * FRAME_S)
            events = countdown.update()
            now = clock.now()
            late = max([late, *(now - e.t for e in events if isinstance(e, Tick))])
            for e in speaker.update():
                if isinstance(e, Said):
                    said.setdefault(e.text, e.t)
            if countdown.finished:
                audible = said.get("And release.", math.nan) - said.get("Hold.", math.nan)
                runs.append(HoldRun(nominal, origin, now, audible, late))
                break
            frame += 1
    speaker.close()
    return runs


def drift_rows(quick: bool, long: bool, synth: Synthesizer) -> list[Row]:
    single_s = 10 if quick else 60
    one = run_holds([single_s], synth)[0]
    error_ms = (one.seen_end - one.origin - single_s) * 1000
    audible_ms = (one.audible_s - single_s) * 1000
    rows = [
        Row(
            f"drift: one {single_s} s hold, real time its end was seen - start - {single_s} s",
            "<= 20 ms",
            f"{error_ms:+.1f} ms (ticks seen <= {one.tick_late_max * 1000:.1f} ms late)",
            abs(error_ms) <= 20,
        ),
        Row(
            f'drift: one {single_s} s hold, "Hold." played to "And release." played - {single_s} s',
            "<= 20 ms",
            f"{audible_ms:+.1f} ms",
            abs(audible_ms) <= 20,
        ),
    ]
    each_s = 3 if quick else (60 if long else 10)
    runs = run_holds([each_s] * 10, synth)
    total_nominal = sum(r.nominal_s for r in runs)
    total_error_ms = (runs[-1].seen_end - runs[0].origin - total_nominal) * 1000
    per_hold = [(r.seen_end - r.origin - r.nominal_s) * 1000 for r in runs]
    rows.append(
        Row(
            f"drift: ten {each_s} s holds in a row, "
            f"last end seen - first start - {total_nominal:g} s",
            "<= 20 ms",
            f"{total_error_ms:+.1f} ms (each hold {min(per_hold):+.1f}..{max(per_hold):+.1f} ms)",
            abs(total_error_ms) <= 20,
        )
    )
    return rows


# -- interrupt latency ----------------------------------------------------------------


class RealTimeStream:
    """A fake PortAudio output stream: a thread asks for a block every block of real time."""

    def __init__(self, **kwargs: Any) -> None:
        self.blocksize: int = kwargs["blocksize"]
        self.callback = kwargs["callback"]
        self.blocks: list[tuple[float, bool]] = []
        """(time the block was handed over, had any sound)."""
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-device", daemon=True)
        self._lock = threading.Lock()

    def start(self) -> None:
        self._running.set()
        self._thread.start()

    def stop(self) -> None:
        self._running.clear()

    def close(self) -> None:
        self._running.clear()
        self._thread.join(timeout=1.0)

    def _run(self) -> None:
        period = self.blocksize / SAMPLE_RATE
        next_at = time.perf_counter()
        block = np.zeros((self.blocksize, 1), np.int16)
        while self._running.is_set():
            self.callback(block, self.blocksize, None, None)
            with self._lock:
                self.blocks.append((time.perf_counter(), bool(block.any())))
            next_at += period
            time.sleep(max(0.0, next_at - time.perf_counter()))

    def first_silent_after(self, t: float, timeout: float = 1.0) -> float | None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self._lock:
                for at, loud in self.blocks:
                    if at >= t and not loud:
                        return at
            time.sleep(0.002)
        return None


class ToneSynth(Synthesizer):
    label = "tone"

    def synthesize(self, text: str) -> Pcm:
        return np.full(5 * SAMPLE_RATE, 3000, np.int16)


def interrupt_rows(trials: int) -> list[Row]:
    holder: list[RealTimeStream] = []

    def factory(**kwargs: Any) -> RealTimeStream:
        holder.append(RealTimeStream(**kwargs))
        return holder[-1]

    out = SoundDeviceOut(stream_factory=factory, block_s=0.02)
    stream = holder[0]
    # A steady tone, not a voice: a pause between words must not pass for the silence.
    speaker = CoachSpeaker(MonotonicClock(), ToneSynth(), out, split=False)
    rng = random.Random(4)
    handed: list[float] = []
    for i in range(trials):
        speaker.say(f"line {i}")
        time.sleep(rng.uniform(0.1, 0.3))
        speaker.update()
        stopped = time.perf_counter()
        speaker.stop()
        silent_at = stream.first_silent_after(stopped)
        handed.append(float("inf") if silent_at is None else silent_at - stopped)
        speaker.update()
    speaker.close()
    block_ms = 1000 * stream.blocksize / SAMPLE_RATE
    p50, p95 = _percentile(handed, 50) * 1000, _percentile(handed, 95) * 1000
    edge95 = p95 + block_ms
    return [
        Row(
            f"interrupt: speaker.stop() to first silent block to the device ({trials} stops)",
            "reported",
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(handed) * 1000:.1f} ms",
            None,
        ),
        Row(
            "interrupt: stop() to silence at the playback edge (+ one 20 ms block buffered)",
            "p95 <= 100 ms",
            f"p95 {edge95:.1f} ms",
            edge95 <= 100,
        ),
    ]


# -- soak -------------------------------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def soak_rows(lines: int, interruptions: int, synth: Synthesizer, notes: list[str]) -> list[Row]:
    faulthandler.dump_traceback_later(600, exit=True)  # a deadlock ends the run, loudly
    started = time.perf_counter()
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, synth, TimelineOut(keep_s=10.0), split=False)
    rng = random.Random(7)
    stop_after = set(rng.sample(range(lines), interruptions))
    texts = [f"Line {i}: keep your back flat and breathe out slowly." for i in range(lines)]
    events: list[Event] = []
    frame = 0
    rss_warm = 0.0
    for i, text in enumerate(texts):
        speaker.say(text)
        # Let it play for a while: to its end, or cut part way in.
        frames = rng.randint(5, 60) if i in stop_after else rng.randint(100, 250)
        for _ in range(frames):
            frame += 1
            clock.advance_to(frame * FRAME_S)
            events += speaker.update()
        if i in stop_after:
            speaker.stop()
            events += speaker.update()
        if i == lines // 5 - 1:  # warmed up: caches full, engines running
            rss_warm = rss_mb()
    speaker.stop()
    events += speaker.update()
    speaker.close()
    faulthandler.cancel_dump_traceback_later()
    rss_end = rss_mb()
    ends = Counter(e.text for e in events if isinstance(e, SayEnd))
    cut = sum(1 for e in events if isinstance(e, SayEnd) and e.interrupted)
    every_line_once = all(ends[t] == 1 for t in texts) and sum(ends.values()) == lines
    elapsed = time.perf_counter() - started
    return [
        Row(
            f"soak: {lines} lines, {interruptions} stop() calls: end events",
            "one per line",
            f"{sum(ends.values())} ends for {lines} lines ({cut} interrupted), {elapsed:.0f} s, "
            f"no deadlock; fallbacks: {'; '.join(notes) or 'none'}",
            every_line_once,
        ),
        Row(
            f"soak: RSS after line {lines // 5} -> at the end",
            "flat (< +5 MB)",
            f"{rss_warm:.1f} -> {rss_end:.1f} MB ({rss_end - rss_warm:+.1f} MB)",
            rss_end - rss_warm < 5,
        ),
    ]


# -- synthesis latency ----------------------------------------------------------------


def synthesis_rows(repeats: int) -> list[Row]:
    rows: list[Row] = []
    engines: list[tuple[str, Synthesizer]] = [("pyttsx3", Pyttsx3Synth())]
    if shutil.which("espeak-ng"):
        engines.append(("espeak-ng", EspeakSynth()))
    for name, synth in engines:
        times: list[float] = []
        audio_s = 0.0
        try:
            synth.synthesize("Warm up.")  # pyttsx3 starts its engine thread on first use
            for i in range(repeats):
                # A different sentence each time: nothing cached anywhere.
                text = f"{STEP_SENTENCE} Repeat {i} times."
                t0 = time.perf_counter()
                pcm = synth.synthesize(text)
                times.append(time.perf_counter() - t0)
                audio_s = len(pcm) / SAMPLE_RATE
        except SynthError as e:
            rows.append(Row(f"synthesis: {name}", "works", f"failed: {e}", False))
            continue
        finally:
            close = getattr(synth, "close", None)
            if close is not None:
                close()
        p50 = _percentile(times, 50) * 1000
        rows.append(
            Row(
                f"synthesis: {name}, text to first audio, a step sentence ({audio_s:.1f} s)",
                "reported (p50)",
                f"p50 {p50:.0f} ms, p95 {_percentile(times, 95) * 1000:.0f} ms, n={repeats}",
                None,
            )
        )
    return rows


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def table(rows: Sequence[Row]) -> str:
    lines = ["| measure | target | result | ok |", "|---|---|---|---|"]
    for r in rows:
        mark = "-" if r.ok is None else ("yes" if r.ok else "**no**")
        lines.append(f"| {r.measure} | {r.target} | {r.result} | {mark} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_speaking", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of every part")
    parser.add_argument("--long", action="store_true", help="ten 60 s holds in a row")
    args, _ = parser.parse_known_args(argv)
    synth, _ = real_synth()
    soak_synth, soak_notes = real_synth()
    lines, stops = (100, 40) if args.quick else (500, 200)
    parts: list[Callable[[], list[Row]]] = [
        lambda: synthesis_rows(5 if args.quick else 20),
        lambda: interrupt_rows(30 if args.quick else 200),
        lambda: soak_rows(lines, stops, soak_synth, soak_notes),
        lambda: drift_rows(args.quick, args.long, synth),
    ]
    rows = list(itertools.chain.from_iterable(part() for part in parts))
    print(table(rows))
    close = getattr(synth, "close", None)
    if close is not None:
        close()
    return 0 if all(r.ok is not False for r in rows) else 1
