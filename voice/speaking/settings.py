"""The voice's settings as `coach run` takes them, and the speaker built from them.

Kept apart from the speaker so the command line (voice.coaching.cli) adds the
same options everywhere and checks them before a session starts: a bad rate is
a one-line error, not a strange voice ten minutes in.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from voice.clock import Clock
from voice.errors import AudioError
from voice.speaking.coach_speaker import CoachSpeaker, LineCaptions
from voice.speaking.speaker import AudioOut
from voice.speaking.synth import CachedSynth, default_synth

ENGINES = ("auto", "pyttsx3", "espeak-ng", "captions")


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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--tts`, `--voice`, `--rate`, `--volume` for a subcommand that speaks."""
    group = parser.add_argument_group("voice")
    group.add_argument("--tts", choices=ENGINES, default="auto", help="speech engine")
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
    return default_synth(
        voice=settings.voice,
        rate_wpm=settings.rate_wpm,
        volume=settings.volume,
        engine=settings.engine,
        on_fallback=warn,
    )


def build_speaker(
    clock: Clock,
    out: AudioOut,
    settings: VoiceSettings | None = None,
    *,
    captions: LineCaptions | None = None,
) -> CoachSpeaker:
    """The coach's voice as configured, falling back engine by engine (each with one
    warning in the captions) down to captions only."""
    settings = (settings or VoiceSettings()).check()
    warn = captions.warning if captions is not None else None
    return CoachSpeaker(clock, synth_for(settings, warn), out, captions=captions)
