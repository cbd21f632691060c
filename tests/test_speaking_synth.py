"""Synthesizers: pyttsx3 behind one thread with retries and a time limit, espeak-ng,
the fallback chain, captions-only silence and the cache. The pyttsx3 failures are
played by fake engines passed to the constructor."""

from __future__ import annotations

import shutil
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from voice.audio import SAMPLE_RATE
from voice.errors import AudioError
from voice.speaking.synth import (
    CachedSynth,
    CaptionOnlySynth,
    EspeakSynth,
    FallbackSynth,
    Pyttsx3Synth,
    SynthError,
    Synthesizer,
)


def tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (8000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)


class FakeEngine:
    """A pyttsx3-like engine: `mode` is "ok", "empty", "raise", "hang" or a list of them,
    one per runAndWait."""

    def __init__(self, mode: str | list[str] = "ok", seconds: float = 0.5) -> None:
        self.modes = [mode] if isinstance(mode, str) else list(mode)
        self.seconds = seconds
        self.calls: list[tuple[str, str]] = []  # (method, thread name)
        self.props: dict[str, object] = {}
        self.pending: tuple[str, str] | None = None
        self.release = threading.Event()

    def _note(self, name: str) -> None:
        self.calls.append((name, threading.current_thread().name))

    def setProperty(self, name: str, value: object) -> None:  # noqa: N802 - pyttsx3's name
        self._note("setProperty")
        self.props[name] = value

    def say(self, text: str) -> None:
        self._note("say")

    def save_to_file(self, text: str, path: str) -> None:
        self._note("save_to_file")
        self.pending = (text, path)

    def runAndWait(self) -> None:  # noqa: N802 - pyttsx3's name
        self._note("runAndWait")
        mode = self.modes.pop(0) if len(self.modes) > 1 else self.modes[0]
        assert self.pending is not None
        _text, path = self.pending
        if mode == "raise":
            raise RuntimeError("driver exploded")
        if mode == "hang":
            self.release.wait(30)
            return
        if mode == "empty":
            Path(path).write_bytes(b"")
            return
        with wave.open(path, "wb") as w:  # 22050 Hz, as pyttsx3's espeak driver writes
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22050)
            w.writeframes(tone(self.seconds, 22050).tobytes())

    def stop(self) -> None:
        self._note("stop")


def test_pyttsx3_output_is_resampled_to_16k_on_one_thread() -> None:
    engine = FakeEngine("ok", seconds=0.5)
    synth = Pyttsx3Synth("english", 150, 0.7, engine_factory=lambda: engine)
    try:
        first = synth.synthesize("Lie down.")
        second = synth.synthesize("Lift.")
    finally:
        synth.close()
    expected = 0.5 * SAMPLE_RATE
    assert abs(len(first) - expected) < 0.15 * SAMPLE_RATE  # speech plus the short tail
    assert np.abs(second).max() > 1000
    assert engine.props == {"voice": "english", "rate": 150, "volume": 0.7}
    assert {thread for _, thread in engine.calls} == {"pyttsx3-engine"}
    assert "say" not in [name for name, _ in engine.calls]  # say() after save_to_file sticks


def test_pyttsx3_empty_output_is_retried_once() -> None:
    engine = FakeEngine(["empty", "ok"])
    synth = Pyttsx3Synth(engine_factory=lambda: engine)
    try:
        assert len(synth.synthesize("Hold.")) > 0
    finally:
        synth.close()
    assert [name for name, _ in engine.calls].count("runAndWait") == 2


def test_pyttsx3_empty_twice_raises() -> None:
    engine = FakeEngine("empty")
    synth = Pyttsx3Synth(engine_factory=lambda: engine)
    with pytest.raises(SynthError, match="no audio"):
        synth.synthesize("Hold.")
    synth.close()
    assert [name for name, _ in engine.calls].count("runAndWait") == 2


def test_pyttsx3_engine_error_is_one_line() -> None:
    synth = Pyttsx3Synth(engine_factory=lambda: FakeEngine("raise"))
    with pytest.raises(SynthError, match="pyttsx3 failed: RuntimeError: driver exploded"):
        synth.synthesize("Hold.")
    synth.close()


def test_pyttsx3_that_cannot_start_raises() -> None:
    def factory() -> FakeEngine:
        raise OSError("libespeak.so.1: cannot open shared object file")

    synth = Pyttsx3Synth(engine_factory=factory)
    with pytest.raises(SynthError, match="could not start"):
        synth.synthesize("Hold.")
    synth.close()


def test_pyttsx3_hang_times_out_and_is_not_used_again() -> None:
    engine = FakeEngine("hang")
    synth = Pyttsx3Synth(engine_factory=lambda: engine, timeout_s=0.3)
    started = time.monotonic()
    with pytest.raises(SynthError, match="hung"):
        synth.synthesize("Hold.")
    assert time.monotonic() - started < 2.0  # one timeout, no retry into the same hang
    assert synth.broken is not None
    started = time.monotonic()
    with pytest.raises(SynthError, match="hung"):
        synth.synthesize("Again.")
    assert time.monotonic() - started < 0.1
    engine.release.set()
    synth.close()


def test_fallback_moves_on_and_remembers_the_broken_engine() -> None:
    engine = FakeEngine("hang")
    warnings: list[str] = []
    pyttsx = Pyttsx3Synth(engine_factory=lambda: engine, timeout_s=0.2)
    chain = FallbackSynth([pyttsx, CaptionOnlySynth()], on_fallback=warnings.append)
    first = chain.synthesize("Keep your back flat.")
    assert len(first) > 0 and not first.any()  # captions only: silence of a spoken length
    runs = [name for name, _ in engine.calls].count("runAndWait")
    chain.synthesize("Again.")
    assert [name for name, _ in engine.calls].count("runAndWait") == runs
    assert len(warnings) == 1 and "hung" in warnings[0]
    assert chain.active is chain.synths[1]
    engine.release.set()
    chain.close()


def test_fallback_with_nothing_left_raises() -> None:
    chain = FallbackSynth([Pyttsx3Synth(engine_factory=lambda: FakeEngine("raise"))])
    with pytest.raises(SynthError, match="no synthesizer works"):
        chain.synthesize("Hold.")
    chain.close()


def test_synth_errors_are_audio_errors() -> None:
    assert issubclass(SynthError, AudioError)


def test_caption_only_silence_grows_with_the_words() -> None:
    synth = CaptionOnlySynth(words_per_minute=120)
    short = synth.synthesize("Hold.")
    long = synth.synthesize("Keep your chin tucked and your back flat on the floor.")
    assert not long.any()
    assert len(short) / SAMPLE_RATE == pytest.approx(0.5 + 0.12, abs=0.01)
    assert len(CaptionOnlySynth(min_s=2.0).synthesize("Hold.")) == 2 * SAMPLE_RATE
    assert len(long) / SAMPLE_RATE == pytest.approx(11 * 0.5 + 0.12, abs=0.01)


class CountingSynth(Synthesizer):
    label = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def synthesize(self, text: str) -> np.ndarray:
        self.calls += 1
        return np.full(len(text), 100, np.int16)


def test_cache_is_lru_by_text_and_settings() -> None:
    inner = CountingSynth()
    cache = CachedSynth(inner, maxsize=2)
    cache.synthesize("one")
    cache.synthesize("two")
    cache.synthesize("one")
    cache.synthesize("three")  # evicts "two", the least recently used
    cache.synthesize("one")
    assert inner.calls == 3 and cache.hits == 2
    cache.synthesize("two")
    assert inner.calls == 4
    assert not cache.synthesize("one").flags.writeable


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_espeak_speaks_at_16k() -> None:
    pcm = EspeakSynth(rate_wpm=175).synthesize("Keep your chin tucked.")
    assert 0.6 * SAMPLE_RATE < len(pcm) < 3 * SAMPLE_RATE
    assert np.abs(pcm[:800]).max() > 100  # leading silence trimmed: sound at once


def test_espeak_missing_is_a_synth_error() -> None:
    with pytest.raises(SynthError, match="not installed"):
        EspeakSynth(executable="no-such-espeak-xyz").synthesize("Hold.")


class SlowSynth(Synthesizer):
    """Takes `delay` per line and counts calls, from any thread."""

    label = "slow"

    def __init__(self, delay: float = 0.05) -> None:
        self.delay = delay
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def synthesize(self, text: str) -> np.ndarray:
        with self.lock:
            self.calls.append(text)
        time.sleep(self.delay)
        return np.full(160, 1, np.int16)


def test_prefetched_lines_are_ready_and_never_synthesized_twice() -> None:
    inner = SlowSynth(0.05)
    cache = CachedSynth(inner)
    cache.prefetch(["Hold.", "Nine", "Eight"])
    cache.synthesize("Hold.")  # may wait for the prefetch of the same line
    deadline = time.monotonic() + 5
    while len(inner.calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.06)
    started = time.monotonic()
    cache.synthesize("Eight")
    assert time.monotonic() - started < 0.02  # already there
    assert sorted(inner.calls) == ["Eight", "Hold.", "Nine"]
    cache.close()


def test_a_failed_prefetch_is_retried_when_the_line_is_said() -> None:
    engine = FakeEngine(["raise", "raise", "ok"])
    cache = CachedSynth(Pyttsx3Synth(engine_factory=lambda: engine))
    cache.prefetch(["Hold."])
    deadline = time.monotonic() + 5
    while [n for n, _ in engine.calls].count("runAndWait") < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    assert len(cache.synthesize("Hold.")) > 0
    cache.close()


def test_real_pyttsx3_if_it_works_here() -> None:
    synth = Pyttsx3Synth(rate_wpm=170, timeout_s=10)
    try:
        pcm = synth.synthesize("Keep your chin tucked.")
    except SynthError as e:
        pytest.skip(f"pyttsx3 does not work here: {e}")
    finally:
        synth.close()
    assert 0.5 * SAMPLE_RATE < len(pcm) < 4 * SAMPLE_RATE and np.abs(pcm).max() > 1000


def test_cache_is_bounded_by_seconds_of_audio_too() -> None:
    inner = CountingSynth()  # one sample per character
    cache = CachedSynth(inner, maxsize=100, max_audio_s=30 / SAMPLE_RATE)
    for word in ("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd"):
        cache.synthesize(word)
    assert len(cache._cache) == 3  # 40 samples kept would exceed 30
    cache.synthesize("aaaaaaaaaa")
    assert inner.calls == 5


def test_a_closed_synth_can_be_used_again() -> None:
    """Sessions share one cached synthesizer; closing a session's speaker closes it."""
    made: list[FakeEngine] = []

    def factory() -> FakeEngine:
        made.append(FakeEngine("ok"))
        return made[-1]

    cache = CachedSynth(Pyttsx3Synth(engine_factory=factory))
    assert len(cache.synthesize("One.")) > 0
    cache.close()
    assert len(cache.synthesize("Two.")) > 0
    cache.prefetch(["Three."])
    cache.close()
    assert len(made) == 2
