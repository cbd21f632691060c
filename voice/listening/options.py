"""The listening options `coach hear` and `coach run` share, and the listener they build."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voice.commands import Vocabulary
    from voice.listening.listener import Listener

ENGINES = ("auto", "whisper", "pocketsphinx")
"""See `voice.listening.factory`."""

ENGINE_ENV = "VOICE_COACH_ASR_ENGINE"
"""Environment variable choosing the engine (like `--asr-engine`)."""

MODEL_ENV = "VOICE_COACH_ASR_MODEL"
"""Environment variable naming a faster-whisper model directory (like `--asr-model`)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--asr-engine",
        choices=ENGINES,
        default=None,
        help=f"speech engine (default: ${ENGINE_ENV}, else auto: Whisper, else pocketsphinx)",
    )
    parser.add_argument(
        "--asr-model",
        type=Path,
        metavar="DIR",
        default=None,
        help=f"a faster-whisper model directory (default: ${MODEL_ENV}, else the bundled tiny.en)",
    )


def engine_from_args(args: argparse.Namespace) -> str:
    return getattr(args, "asr_engine", None) or os.environ.get(ENGINE_ENV) or "auto"


def listener_from_args(vocabulary: Vocabulary, args: argparse.Namespace) -> Listener:
    """The listener the options ask for; AudioError (one line) when it cannot be built."""
    from voice.listening.factory import build_listener

    return build_listener(
        vocabulary, engine=engine_from_args(args), asr_model=getattr(args, "asr_model", None)
    )
