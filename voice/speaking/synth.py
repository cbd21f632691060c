"""Text to 16 kHz audio: pyttsx3, espeak-ng, a fallback chain, and silence sized like speech.

The project plays its own audio (so `stop()` can cut it off), which leaves the
synthesizers one job: turn a line into samples. Every synthesizer here either
returns non-empty audio or raises `SynthError` within its time limit; none may
hang the session. `FallbackSynth` chains them so the coach always has a voice,
ending with `CaptionOnlySynth`, whose silence keeps the pacing human when no
text-to-speech works at all (the words then only appear as captions).
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from voice.audio import SAMPLE_RATE, Pcm
from voice.audio.convert import decode_wav, resample, trim_silence
from voice.errors import AudioError

log = logging.getLogger(__name__)

TAIL_S = 0.12
"""Quiet kept after each line once the synthesizer's own silences are trimmed:
lines then start with sound at once (first-audio latency) yet do not run together."""


class SynthError(AudioError):
    """A synthesizer that could not turn a line into audio (one line, says which and why)."""


class Synthesizer(Protocol):
    """Turns one line of text into 16 kHz mono samples, or raises `SynthError`.

    Engines subclass this to inherit the defaults: nothing to prepare ahead,
    nothing to release.
    """

    @property
    def label(self) -> str:
        """Which engine and settings: the cache key's second half, and what reports show."""
        ...

    def synthesize(self, text: str) -> Pcm: ...

    def prefetch(self, texts: Sequence[str]) -> None:
        """Start synthesizing `texts` ahead, off the caller's thread, where the engine
        can (`CachedSynth`); by default the lines are made when they are said."""
        del texts

    def close(self) -> None:
        """Release the engine (a worker thread, a driver); safe to call twice."""
        return None


def finish(pcm: Pcm, rate: int) -> Pcm:
    """A synthesizer's raw output as a line to play: 16 kHz, silences trimmed, a short tail."""
    speech = trim_silence(resample(pcm, rate, SAMPLE_RATE))
    if len(speech) == 0:
        return speech
    return np.concatenate([speech, np.zeros(round(TAIL_S * SAMPLE_RATE), np.int16)])


class CaptionOnlySynth(Synthesizer):
    """Silence as long as the line would take to say: the voice of last resort."""

    def __init__(self, words_per_minute: float = 150.0, min_s: float = 0.4) -> None:
        self.words_per_minute = words_per_minute
        self.min_s = min_s

    @property
    def label(self) -> str:
        return f"captions@{self.words_per_minute:g}wpm"

    def estimate_s(self, text: str) -> float:
        words = len(text.split())
        return max(self.min_s, words * 60.0 / self.words_per_minute + TAIL_S)

    def synthesize(self, text: str) -> Pcm:
        return np.zeros(round(self.estimate_s(text) * SAMPLE_RATE), np.int16)


class EspeakSynth(Synthesizer):
    """espeak-ng as a subprocess writing a WAV to its stdout (text goes in on stdin)."""

    def __init__(
        self,
        voice: str = "en-us",
        rate_wpm: int = 165,
        volume: float = 1.0,
        *,
        executable: str = "espeak-ng",
        timeout_s: float = 10.0,
    ) -> None:
        self.voice = voice
        self.rate_wpm = rate_wpm
        self.volume = volume
        self.executable = executable
        self.timeout_s = timeout_s

    @property
    def label(self) -> str:
        return f"espeak-ng:{self.voice}@{self.rate_wpm}wpm,vol{self.volume:g}"

    def synthesize(self, text: str) -> Pcm:
        exe = shutil.which(self.executable)
        if exe is None:
            raise SynthError(f"{self.executable} is not installed")
        amplitude = str(round(100 * max(0.0, min(2.0, self.volume))))
        cmd = [exe, "-v", self.voice, "-s", str(self.rate_wpm), "-a", amplitude, "--stdout"]
        try:
            done = subprocess.run(
                cmd, input=text.encode(), capture_output=True, timeout=self.timeout_s, check=False
            )
        except subprocess.TimeoutExpired as e:
            raise SynthError(f"espeak-ng took over {self.timeout_s:g} s for one line") from e
        except OSError as e:
            raise SynthError(f"espeak-ng could not run: {e}") from e
        if done.returncode != 0:
            reason = done.stderr.decode(errors="replace").strip().splitlines()
            raise SynthError(f"espeak-ng failed: {reason[-1] if reason else done.returncode}")
        try:
            pcm, rate = decode_wav(done.stdout)
        except (ValueError, EOFError) as e:
            raise SynthError(f"espeak-ng wrote no usable audio: {e}") from e
        speech = finish(pcm, rate)
        if len(speech) == 0:
            raise SynthError(f"espeak-ng gave no audio for {text[:40]!r}")
        return speech


EngineFactory = Callable[[], Any]
"""Makes a pyttsx3-like engine: `setProperty`, `save_to_file`, `runAndWait`, `stop`."""


def _pyttsx3_engine() -> Any:
    import pyttsx3  # imported on the engine's own thread, and only if used

    engine = pyttsx3.init()
    # Its espeak driver prints "Audio saved to ..." to stdout after every file,
    # which would land in the middle of captions or `--events -` JSON. Silence
    # that one module's print rather than swapping sys.stdout for every thread.
    try:
        from pyttsx3.drivers import espeak as espeak_driver

        espeak_driver.print = lambda *_args, **_kwargs: None
    except ImportError:  # another platform's driver: nothing to silence
        pass
    return engine


class Pyttsx3Synth(Synthesizer):
    """pyttsx3 kept on one dedicated thread, synthesizing to a temporary WAV file.

    pyttsx3 2.99 is fragile (DESIGN.md): its engine must stay on the thread that
    made it, `say()` after `save_to_file()` also goes to the file, and its run
    loop can hang. So this class never calls `say()`, waits for each line at most
    `timeout_s`, retries an empty or failed line once, and after a hang declares
    itself broken for good (the stuck thread is a daemon and is left behind).
    """

    def __init__(
        self,
        voice: str | None = None,
        rate_wpm: int | None = None,
        volume: float | None = None,
        *,
        engine_factory: EngineFactory | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.voice = voice
        self.rate_wpm = rate_wpm
        self.volume = volume
        self.timeout_s = timeout_s
        self._factory = engine_factory or _pyttsx3_engine
        self._jobs: queue.Queue[tuple[str, concurrent.futures.Future[Pcm]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._broken: str | None = None
        self._lock = threading.Lock()

    @property
    def label(self) -> str:
        return f"pyttsx3:{self.voice or 'default'}@{self.rate_wpm or 'default'}wpm,vol{self.volume}"

    @property
    def broken(self) -> str | None:
        """Why this synthesizer gave up for good, or None while it works."""
        return self._broken

    def synthesize(self, text: str) -> Pcm:
        error = SynthError("pyttsx3: no attempt made")
        for _attempt in range(2):
            if self._broken is not None:
                raise SynthError(self._broken)
            try:
                return self._attempt(text)
            except SynthError as e:
                error = e
        raise error

    def close(self) -> None:
        """Ask the engine thread to finish; a hung thread is not waited for."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            if self._broken is None:  # a hung engine would only make closing hang too
                thread.join(timeout=1.0)

    def _attempt(self, text: str) -> Pcm:
        job: concurrent.futures.Future[Pcm] = concurrent.futures.Future()
        self._ensure_thread()
        self._jobs.put((text, job))
        try:
            pcm = job.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError as e:
            self._broken = f"pyttsx3 hung for over {self.timeout_s:g} s; not used again"
            raise SynthError(self._broken) from e
        except SynthError:
            raise
        except Exception as e:  # whatever the engine raised, as one line
            raise SynthError(f"pyttsx3 failed: {type(e).__name__}: {e}") from e
        if len(pcm) == 0:
            raise SynthError(f"pyttsx3 gave no audio for {text[:40]!r}")
        return pcm

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name="pyttsx3-engine", daemon=True
                )
                self._thread.start()

    def _serve(self) -> None:
        """The engine's thread: make the engine here, then synthesize job after job."""
        engine: Any = None
        init_error: BaseException | None = None
        try:
            engine = self._factory()
            self._configure(engine)
        except Exception as e:
            init_error = e
        with tempfile.TemporaryDirectory(prefix="coach-tts-") as folder:
            path = Path(folder) / "line.wav"
            while (job := self._jobs.get()) is not None:
                text, future = job
                if init_error is not None:
                    future.set_exception(SynthError(f"pyttsx3 could not start: {init_error}"))
                    continue
                try:
                    future.set_result(self._render(engine, text, path))
                except Exception as e:
                    future.set_exception(e)

    def _configure(self, engine: Any) -> None:
        if self.voice is not None:
            engine.setProperty("voice", self.voice)
        if self.rate_wpm is not None:
            engine.setProperty("rate", self.rate_wpm)
        if self.volume is not None:
            engine.setProperty("volume", self.volume)

    @staticmethod
    def _render(engine: Any, text: str, path: Path) -> Pcm:
        if path.exists():
            path.unlink()
        engine.save_to_file(text, str(path))
        engine.runAndWait()
        if not path.exists() or path.stat().st_size <= 44:
            return np.zeros(0, np.int16)
        pcm, rate = decode_wav(path.read_bytes())
        return finish(pcm, rate)


class FallbackSynth(Synthesizer):
    """Tries each synthesizer in order; one that fails is remembered and skipped after.

    A failing engine is skipped for the rest of the session rather than retried on
    every line, because the failures seen (a hang, a missing library) do not heal
    and each retry would cost its timeout again.
    """

    def __init__(
        self,
        synths: Sequence[Synthesizer],
        *,
        on_fallback: Callable[[str], None] | None = None,
    ) -> None:
        if not synths:
            raise ValueError("FallbackSynth needs at least one synthesizer")
        self.synths = list(synths)
        self.broken: dict[str, str] = {}
        """Label of each synthesizer given up on, and why."""
        self._on_fallback = on_fallback

    @property
    def label(self) -> str:
        return "fallback(" + ",".join(s.label for s in self.synths) + ")"

    @property
    def active(self) -> Synthesizer | None:
        """The synthesizer the next line will try first."""
        return next((s for s in self.synths if s.label not in self.broken), None)

    def synthesize(self, text: str) -> Pcm:
        errors: list[str] = []
        for synth in self.synths:
            if synth.label in self.broken:
                continue
            try:
                return synth.synthesize(text)
            except SynthError as e:
                self.broken[synth.label] = str(e)
                errors.append(str(e))
                log.warning("%s; falling back", e)
                if self._on_fallback is not None:
                    self._on_fallback(f"{e}; using the next voice")
        raise SynthError("no synthesizer works: " + "; ".join(errors or list(self.broken.values())))

    def close(self) -> None:
        for synth in self.synths:
            synth.close()


class CachedSynth(Synthesizer):
    """An LRU cache of lines by (text, synthesizer settings), with prefetching.

    Countdown numbers and repeated steps are synthesized once a session. A line
    can be prepared ahead (`prefetch`) on a worker thread so it plays at once
    when its time comes; a line asked for while it is being prepared waits for
    that one synthesis instead of starting a second.
    """

    def __init__(self, inner: Synthesizer, maxsize: int = 256, max_audio_s: float = 120.0) -> None:
        """Keeps at most `maxsize` lines and `max_audio_s` seconds of audio (4 MB at the
        default), whichever is reached first: bounded memory on a small machine."""
        self.inner = inner
        self.maxsize = maxsize
        self.max_samples = round(max_audio_s * SAMPLE_RATE)
        self._samples = 0
        self.hits = 0
        self.misses = 0
        self._cache: OrderedDict[tuple[str, str], Pcm] = OrderedDict()
        self._inflight: dict[tuple[str, str], concurrent.futures.Future[Pcm]] = {}
        self._lock = threading.Lock()
        self._prefetch: queue.Queue[str | None] = queue.Queue()
        self._worker: threading.Thread | None = None

    @property
    def label(self) -> str:
        return self.inner.label

    def synthesize(self, text: str) -> Pcm:
        key = (text, self.inner.label)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                self.hits += 1
                return self._cache[key]
            running = self._inflight.get(key)
            if running is None:
                mine: concurrent.futures.Future[Pcm] = concurrent.futures.Future()
                self._inflight[key] = mine
        if running is not None:
            return running.result()
        try:
            pcm = self.inner.synthesize(text)
        except BaseException as e:
            mine.set_exception(e)
            raise
        finally:
            with self._lock:
                self._inflight.pop(key, None)
        pcm.setflags(write=False)  # shared between plays: nobody may change it
        with self._lock:
            self.misses += 1
            if key not in self._cache:
                self._samples += len(pcm)
            self._cache[key] = pcm
            while len(self._cache) > 1 and (
                len(self._cache) > self.maxsize or self._samples > self.max_samples
            ):
                self._samples -= len(self._cache.popitem(last=False)[1])
        mine.set_result(pcm)
        return pcm

    def prefetch(self, texts: Sequence[str]) -> None:
        """Synthesize `texts` in the background, in order; failures are left for later."""
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._prepare, name="tts-prefetch")
                self._worker.daemon = True
                self._worker.start()
        for text in texts:
            self._prefetch.put(text)

    def close(self) -> None:
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            self._prefetch.put(None)
            worker.join(timeout=1.0)
        self.inner.close()

    def _prepare(self) -> None:
        while (text := self._prefetch.get()) is not None:
            try:
                self.synthesize(text)
            except Exception:  # the line will be tried again, and reported, when it is said
                log.debug("prefetch of %r failed", text, exc_info=True)
