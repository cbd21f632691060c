"""The one place a listener is built: `coach hear`, `coach run` and the benchmarks.

Engines:

- "whisper": `NeuralRecognizer` (Whisper tiny.en through faster-whisper's
  CTranslate2 runtime, with the pocketsphinx grammar's opinion), the default;
- "pocketsphinx": the grammar plus phone-loop check of the first release, which
  needs nothing but the pocketsphinx wheel;
- "auto": Whisper when its weights load, else pocketsphinx with one line saying why.

Endpointing follows the engine: Silero VAD (its ONNX model ships in faster-whisper)
with Whisper, WebRTC's VAD with pocketsphinx.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from voice.commands import Vocabulary
from voice.errors import AudioError
from voice.listening.endpoint import Detector, Endpointer, EndpointSettings
from voice.listening.lexicon import Lexicon
from voice.listening.listener import Listener, ListenerSettings
from voice.listening.neural import NeuralRecognizer, NeuralSettings
from voice.listening.options import ENGINES
from voice.listening.recognizer import Recognizer


def _warn(message: str) -> None:
    print(f"coach: {message}", file=sys.stderr)


def build_listener(
    vocabulary: Vocabulary,
    *,
    engine: str = "auto",
    asr_model: Path | None = None,
    settings: ListenerSettings | None = None,
    neural: NeuralSettings | None = None,
    endpoint: EndpointSettings | None = None,
    warn: Callable[[str], None] = _warn,
) -> Listener:
    """A listener for `vocabulary` on `engine` (see the module docstring).

    `endpoint` overrides the engine's endpointing; `asr_model` is any faster-whisper
    model directory. Raises AudioError when the engine asked for by name cannot load
    ("auto" falls back instead)."""
    if engine not in ENGINES:
        raise AudioError(f"unknown speech engine {engine!r}: use one of {', '.join(ENGINES)}")
    settings = settings or ListenerSettings()
    lexicon = Lexicon(settings.cache_dir)
    grammar = Recognizer(vocabulary, settings=settings.recognizer, lexicon=lexicon)
    if engine != "pocketsphinx":
        try:
            recognizer = _neural(vocabulary, grammar, lexicon, asr_model, neural)
        except AudioError as error:
            if engine == "whisper":
                raise
            warn(f"{error}; listening with pocketsphinx instead")
        else:
            return Listener(recognizer, _endpointer(endpoint, "silero", warn))
    return Listener(grammar, _endpointer(endpoint or settings.endpoint, "webrtc", warn))


def _neural(
    vocabulary: Vocabulary,
    grammar: Recognizer,
    lexicon: Lexicon,
    asr_model: Path | None,
    settings: NeuralSettings | None,
) -> NeuralRecognizer:
    from voice.listening.whisper import WhisperModel, find_model_dir

    model = WhisperModel(find_model_dir(asr_model))
    return NeuralRecognizer(
        vocabulary, model, grammar=grammar, pronounce=lexicon.lookup, settings=settings
    )


def _endpointer(
    settings: EndpointSettings | None, detector: Detector, warn: Callable[[str], None]
) -> Endpointer:
    """The endpointer asked for, or WebRTC's when Silero cannot load here."""
    chosen = settings or EndpointSettings.for_detector(detector)
    try:
        return Endpointer(chosen)
    except AudioError as error:
        warn(f"{error}; finding speech with WebRTC's VAD instead")
        return Endpointer(EndpointSettings.for_detector("webrtc"))
