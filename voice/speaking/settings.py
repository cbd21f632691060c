"""The voice's settings as `coach run` takes them, and the one place a voice is built.

Kept apart from the speaker so the command line (voice.coaching.cli) adds the
same options everywhere and checks them before a session starts: a bad rate is
a one-line error, not a strange voice ten minutes in. `synth_for` and
`build_speaker` are the only wiring from settings to a voice; the live coach,
the simulator and the benchmarks all come through them.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from voice.errors import AudioError

if TYPE_CHECKING:  # the engines load numpy: only once a voice is built, not to parse options
    from voice.clock import Clock
    from voice.speaking.coach_speaker import CoachSpeaker, LineCaptions
    from voice.speaking.speaker import AudioOut
    from voice.speaking.synth import CachedSynth, Synthesizer

ENGINES = ("auto", "pyttsx3", "espeak-ng", "captions")

SIMULATION_ENGINE = "espeak-ng"
"""The voice of simulated sessions. pyttsx3 (the live default) gave a different
session from the same recording in two runs out of two (its lines come out
differently from one process to the next), and a simulation must replay exactly."""


@dataclass(frozen=True)
class VoiceSettings:
    """How the coach sounds."""

    engine: str = "auto"
    """"auto" (pyttsx3, then espeak-ng, then captions only), or one of them first."""
    voice: str | None = None
    """The engine's voice id (pyttsx3) or name (espeak-ng, e.g. "en-us+f3"); None: default."""
    rate_wpm: int | None = None
    """Words per minute; None: the engine's default (about 165-200)."""
    volume: float | None = None
    """0.0 to 1.0; None: the engine's default (full)."""

    def check(self) -> VoiceSettings:
        """Raise `AudioError` (one line) on a setting no engine can honour."""
        if self.engine not in ENGINES:
            raise AudioError(f"unknown speech engine {self.engine!r}; one of {', '.join(ENGINES)}")
        if self.rate_wpm is not None and not 80 <= self.rate_wpm <= 450:
            raise AudioError(f"speech rate {self.rate_wpm} is out of range (80 to 450 wpm)")
        if self.volume is not None and not 0.0 <= self.volume <= 1.0:
            raise AudioError(f"volume {self.volume:g} is out of range (0 to 1)")
        return self

    def for_simulation(self) -> VoiceSettings:
        """The same settings, with "auto" meaning the engine that replays exactly."""
        return replace(self, engine=SIMULATION_ENGINE) if self.engine == "auto" else self


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--tts`, `--voice`, `--rate`, `--volume` for a subcommand that speaks."""
    group = parser.add_argument_group("voice")
    group.add_argument("--tts", default="auto", help=f"speech engine: {', '.join(ENGINES)}")
    group.add_argument("--voice", default=None, help="the engine's voice id or name")
    group.add_argument("--rate", type=int, default=None, help="words per minute (80-450)")
    group.add_argument("--volume", type=float, default=None, help="0 to 1")


def from_args(args: argparse.Namespace) -> VoiceSettings:
    return VoiceSettings(
        engine=getattr(args, "tts", "auto"),
        voice=getattr(args, "voice", None),
        rate_wpm=getattr(args, "rate", None),
        volume=getattr(args, "volume", None),
    ).check()


def synth_for(settings: VoiceSettings, warn: Callable[[str], None] | None = None) -> CachedSynth:
    """The coach's voice: pyttsx3, then espeak-ng, then captions only; cached.

    `engine` "auto" is that chain; "pyttsx3", "espeak-ng" or "captions" start
    there and still fall back to captions, so a missing engine never silences a
    session. Each fallback is said once, through `warn`.
    """
    from voice.speaking.synth import (
        CachedSynth,
        CaptionOnlySynth,
        EspeakSynth,
        FallbackSynth,
        Pyttsx3Synth,
    )

    settings.check()
    engine, voice = settings.engine, settings.voice
    chain: list[Synthesizer] = []
    if engine in ("auto", "pyttsx3"):
        chain.append(Pyttsx3Synth(voice, settings.rate_wpm, settings.volume))
    if engine in ("auto", "espeak-ng"):
        espeak_voice = voice if voice and engine == "espeak-ng" else "en-us"
        volume = 1.0 if settings.volume is None else settings.volume
        chain.append(EspeakSynth(espeak_voice, settings.rate_wpm or 165, volume))
    chain.append(CaptionOnlySynth())
    return CachedSynth(FallbackSynth(chain, on_fallback=warn))


@functools.cache
def shared_synth(settings: VoiceSettings) -> CachedSynth:
    """One synthesizer per settings and process, for simulations run one after another
    (tests, benchmarks): the coach repeats its lines, and the cache keeps them."""
    return synth_for(settings)


def build_speaker(
    clock: Clock,
    out: AudioOut,
    settings: VoiceSettings | None = None,
    *,
    captions: LineCaptions | None = None,
    synth: Synthesizer | None = None,
) -> CoachSpeaker:
    """The coach's voice as configured (or on a ready `synth`), falling back engine by
    engine (each with one warning in the captions) down to captions only."""
    from voice.speaking.coach_speaker import CoachSpeaker

    if synth is None:
        warn = captions.warning if captions is not None else None
        synth = synth_for(settings or VoiceSettings(), warn)
    return CoachSpeaker(clock, synth, out, captions=captions)
