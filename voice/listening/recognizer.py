"""Recognition of one segment of speech: which command, if any, and how sure.

One long-lived pocketsphinx `Decoder` holds two searches over the same acoustic
model: the command grammar (`Vocabulary.jsgf()`) and a free phone loop. Every
segment is decoded with both. The grammar alone forces any sound into some command,
so the verdict combines cues that tell a command from everything else:

- how well the phones the loop heard agree with the phones of the grammar's answer
  (chatter forced into a command shares few of its phones);
- whether the speech lasted about as long as that answer takes to say.

The per-frame score of the grammar's path against the phone loop's is computed too
but off by default: measured on the dev split it barely separates the two (as
DESIGN.md found).

The thresholds come from `RecognizerSettings`, tuned on the dev split of the
benchmark corpus (benchmarks/bench_hearing.py), never on its test split.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pocketsphinx
from rapidfuzz.distance import Levenshtein

from voice.audio import SAMPLE_RATE, Pcm
from voice.commands import Vocabulary
from voice.errors import AudioError
from voice.intents import Command
from voice.listening.context import Context, allows
from voice.listening.lexicon import Lexicon
from voice.listening.phrases import PhraseTable, reduce_transcript
from voice.pronounce import dictionary_path

_GRAMMAR = "commands"
_PHONES = "phones"
_FRAMES_PER_S = 100  # pocketsphinx's feature frame rate
_SCORE_SCALE = 1024.0
"""The Python binding returns scores already exponentiated in pocketsphinx's shifted log
domain (2**10); scaling back keeps the per-frame figures in readable units."""


@dataclass(frozen=True)
class RecognizerSettings:
    """How sure the recognizer must be before it acts on a segment."""

    min_score_ratio: float = -math.inf
    """Lowest (grammar - phone loop) score per frame. Off by default: on the dev split
    commands and chatter overlap almost entirely on it (medians 0.47 and 0.38)."""
    max_phone_error: float = 0.75
    """Highest phone edit distance between the loop's phones and the answer's, per
    phone. Dev split: commands heard right have a median of 0.75, chatter 1.0; chatter
    forced into a command that was accepted sat at 0.67-0.80."""
    max_phone_error_short: float = 0.7
    """The same for answers of fewer than `short_phones` phones ("stop", "band"), where
    one stray phone moves the ratio a lot and breaths and coughs land."""
    short_phones: int = 6
    min_duration_ratio: float = 0.6
    """Speech shorter than this fraction of the answer's expected duration is rejected."""
    max_duration_ratio: float = 2.0
    """Or longer than this multiple: chatter forced into a short command runs long."""
    max_segment_s: float = 4.0
    """Longer segments are not commands and are not decoded."""
    beam: float = 1e-30
    wbeam: float = 1e-20
    pbeam: float = 1e-30


@dataclass(frozen=True)
class Recognition:
    """The verdict on one segment, with the evidence it was reached from."""

    text: str
    """What the grammar heard ("" for nothing); kept even when rejected."""
    command: Command | None
    confidence: float
    score_ratio: float = 0.0
    phone_error: float = 1.0
    duration_ratio: float = 0.0
    phones: str = ""
    decode_s: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    candidates: tuple[str, ...] = ()
    """The phrases weighed before the verdict (for tuning and reports)."""


class Recognizer:
    """Grammar decode plus phone-loop check, over one decoder loaded once."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        *,
        settings: RecognizerSettings | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.settings = s = settings or RecognizerSettings()
        self._lexicon = lexicon or Lexicon()
        model = Path(pocketsphinx.get_model_path()) / "en-us"
        try:
            self._decoder = pocketsphinx.Decoder(
                hmm=str(model / "en-us"),
                dict=str(dictionary_path()),
                lm=None,
                logfn="/dev/null",
                beam=s.beam,
                wbeam=s.wbeam,
                pbeam=s.pbeam,
                dither=True,
            )
        except (RuntimeError, ValueError) as error:
            raise AudioError(f"cannot load the speech model in {model}: {error}") from None
        self._table = PhraseTable(vocabulary)
        self._pron: dict[str, list[str]] = {}
        self._add_words(vocabulary.words())
        unknown = vocabulary.words() - set(self._pron)
        try:
            self._decoder.add_jsgf_string(_GRAMMAR, vocabulary.jsgf(exclude=unknown))
        except ValueError as error:
            raise AudioError(f"the command grammar does not load: {error}") from None
        self._decoder.add_allphone_file(_PHONES, str(model / "en-us-phone.lm.bin"))

    def _add_words(self, words: set[str]) -> None:
        new: list[tuple[str, str]] = []
        for word in sorted(words):
            phones = self._lexicon.pronounce(word)
            if phones is None:
                continue  # `unpronounceable()` reports it; the grammar skips it
            self._pron[word] = phones.split()
            if not self._lexicon.known(word):
                new.append((word, phones))
        for i, (word, phones) in enumerate(new):
            # Rebuilding the search once, after the last word, keeps start-up fast.
            self._decoder.add_word(word, phones, i == len(new) - 1)

    def _decode(self, pcm: Pcm, search: str) -> tuple[str, float]:
        """Best hypothesis text and its score (natural log, up to a constant factor).

        pocketsphinx scores every frame against the best senone of that frame, so a
        path's score says how far it falls short of the acoustically best sequence:
        the same yardstick for the grammar and the phone loop.
        """
        self._decoder.activate_search(search)
        self._decoder.start_utt()
        self._decoder.process_raw(_dithered(pcm).tobytes(), False, True)
        self._decoder.end_utt()
        hyp = self._decoder.hyp()
        if hyp is None or hyp.score <= 0.0:
            return "", -math.inf
        return hyp.hypstr, _SCORE_SCALE * math.log(hyp.score)

    def _framed(self, text: str) -> bool:
        return self._table.framed(reduce_transcript(text))

    def grammar_text(self, pcm: Pcm) -> str:
        """What the command grammar hears in `pcm`, with no rejection at all ("" for
        nothing): the neural recognizer's second opinion."""
        return self._decode(pcm, _GRAMMAR)[0]

    def phones_of(self, text: str) -> list[str]:
        return [p for w in text.split() for p in self._pron.get(w, [])]

    def recognize(
        self, pcm: Pcm, speech_s: float | None = None, context: Context = Context.ANY
    ) -> Recognition:
        """Decode one segment (speech plus a little silence either side); a command
        that does not fit `context` is not accepted."""
        started = time.perf_counter()
        n_frames = max(1, len(pcm) * _FRAMES_PER_S // SAMPLE_RATE)
        seconds = len(pcm) / SAMPLE_RATE if speech_s is None else speech_s
        if seconds > self.settings.max_segment_s or len(pcm) < SAMPLE_RATE // 20:
            return Recognition("", None, 0.0, decode_s=time.perf_counter() - started)
        text, grammar_score = self._decode(pcm, _GRAMMAR)
        command = self.vocabulary.match_text(text) if text else None
        if command is not None and not allows(context, command, framed=self._framed(text)):
            command = None
        if command is None:  # nothing to confirm: spare the second decode
            return Recognition(text, None, 0.0, decode_s=time.perf_counter() - started)
        loop, loop_score = self._decode(pcm, _PHONES)
        heard = [p for p in loop.split() if p not in ("SIL", "+NSN+", "+SPN+")]
        expected = self.phones_of(text)
        ratio = (grammar_score - loop_score) / n_frames
        error = Levenshtein.distance(heard, expected) / max(1, len(expected))
        duration = seconds / (0.1 + 0.07 * len(expected))  # about 70 ms a phone, plus onset
        s = self.settings
        limit = s.max_phone_error_short if len(expected) < s.short_phones else s.max_phone_error
        accepted = (
            command is not None
            and ratio >= s.min_score_ratio
            and error <= limit
            and s.min_duration_ratio <= duration <= s.max_duration_ratio
        )
        confidence = _confidence(error / limit * s.max_phone_error, duration, s)
        return Recognition(
            text=text,
            command=command if accepted else None,
            confidence=confidence if accepted else min(confidence, 0.49),
            score_ratio=ratio,
            phone_error=error,
            duration_ratio=duration,
            phones=" ".join(heard),
            decode_s=time.perf_counter() - started,
        )


def _confidence(error: float, duration: float, s: RecognizerSettings) -> float:
    """A 0..1 summary: 0.5 at the nearest acceptance threshold, rising with the margin."""
    margin = min(
        (s.max_phone_error - error) / max(1e-6, s.max_phone_error),
        (duration - s.min_duration_ratio) / max(1e-6, s.min_duration_ratio),
        (s.max_duration_ratio - duration) / max(1e-6, s.max_duration_ratio),
    )
    return 1.0 / (1.0 + math.exp(-8.0 * margin))


def _dithered(pcm: Pcm) -> Pcm:
    """`pcm` with faint noise added: stretches of digital silence (synthesized or
    padded audio) give the features no usable values and the decoder then loses
    short words entirely. Seeded, so a segment always decodes the same way."""
    noise = np.random.default_rng(len(pcm)).normal(0.0, 4.0, len(pcm))
    out: Pcm = np.clip(pcm.astype(np.float64) + noise, -32768, 32767).astype("<i2")
    return out
