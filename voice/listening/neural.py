"""The default recognizer: Whisper's ears, the coach's closed vocabulary, and context.

For each segment of speech:

1. Whisper transcribes it in open vocabulary, so talk comes out as talk ("I'll
   do it next week") instead of being forced into a command.
2. The transcript, stripped of politeness, is compared with the phrases that fit
   the listening context (`PhraseTable`); the nearest one is a candidate.
3. pocketsphinx's grammar (no rejection of its own) gives a second candidate:
   it is good at short commands Whisper mishears as other words.
4. Whisper scores every candidate: the mean log-probability per token of the
   phrase as a sentence. A candidate is accepted when Whisper finds it likely
   enough *and* the transcript does not contradict it, with a stricter bar for
   one-word transcripts, which is where unclear human words ("eight", "on")
   pass for commands.

The thresholds in `NeuralSettings` were tuned on the dev split of the hearing
corpus (benchmarks/bench_hearing.py) and reported on the test split.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from voice.audio import SAMPLE_RATE, Pcm
from voice.commands import Vocabulary
from voice.intents import Command
from voice.listening.context import Context, allows
from voice.listening.phrases import Heard, PhraseTable, Pronounce, reduce_transcript
from voice.listening.recognizer import Recognition
from voice.listening.whisper import WhisperModel


class Grammar(Protocol):
    """A closed-vocabulary second opinion: the phrase a grammar decode heard, if any."""

    def grammar_text(self, pcm: Pcm) -> str: ...


@dataclass(frozen=True)
class NeuralSettings:
    """Where the decision draws its lines; see the module docstring.

    Tuned on the dev split of the hearing corpus (320-800 clips, four voices, clean
    to 5 dB): the figures in the comments are dev-split figures.
    """

    max_segment_s: float = 4.0
    """Longer segments are not commands and are not decoded."""
    prompt: bool = True
    """When the plain reading is not a phrase, read again with Whisper primed by the
    context's words (`_PROMPTS`) for one more candidate. Priming the only reading
    took commands in noise from 58% to 64% on dev (10 dB: 57% -> 70%), but a primed
    Whisper repeats a short command up to its token limit ("Next. Next. ..."),
    70-100 ms of CPU on every command; as a second reading it costs only when the
    first one failed."""
    accept_score: float = -4.0
    """Lowest Whisper score (mean log-prob per token) of the chosen phrase. Dev: -6
    kept as many commands but let "hip thrust" through as "skip this" (-5.4)."""
    max_distance: float = 0.5
    """Highest distance between the transcript's core and the chosen phrase..."""
    sure_score: float = -2.0
    """...unless Whisper scores the phrase at least this well: then the transcript
    may disagree (Whisper's greedy reading misheard what it finds likely)."""
    one_word_score: float = -3.0
    """A one-word transcript that is not exactly the phrase needs this score: single
    unclear words ("eight", "on") are where talk passes for commands."""
    grammar_score: float = -3.0
    """The grammar's answer wins over a phrase merely near the transcript when Whisper
    scores it at least this well. Dev: the same figures anywhere from -3.0 to -1.5;
    -3.0 keeps "stop" said over the coach's echo (read "Next type.", scored -2.7)
    from becoming "next step", as "stop" read "Next up." (-1.9) is kept too."""
    max_no_speech: float = 1.0
    """Drop segments Whisper believes hold no speech above this probability; off
    (1.0): on dev every threshold cost more commands than it saved false accepts."""
    grammar: bool = True
    """Weigh the pocketsphinx grammar's answer too (when a grammar is given)."""
    candidates: int = 3
    """Phrases nearest the transcript (by spelling or sound) that Whisper scores,
    besides the grammar's: each costs about 20-30 ms of CPU."""


@dataclass(frozen=True)
class Candidate:
    """A phrase weighed for a segment, with its evidence."""

    phrase: str
    command: Command
    score: float
    """Whisper's mean log-probability per token of the phrase as said."""
    distance: float
    """Its distance from the transcript's core (1.0 when there is no transcript)."""
    from_grammar: bool = False
    """The pocketsphinx grammar's answer (it may also be near the transcript)."""


class NeuralRecognizer:
    """Whisper plus a grammar's opinion, over the vocabulary's context phrases."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        model: WhisperModel,
        *,
        grammar: Grammar | None = None,
        pronounce: Pronounce | None = None,
        settings: NeuralSettings | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.model = model
        self.grammar = grammar
        self.settings = settings or NeuralSettings()
        self.table = PhraseTable(vocabulary, pronounce)

    def recognize(
        self, pcm: Pcm, speech_s: float | None = None, context: Context = Context.ANY
    ) -> Recognition:
        started = time.perf_counter()
        seconds = len(pcm) / SAMPLE_RATE if speech_s is None else speech_s
        if seconds > self.settings.max_segment_s or len(pcm) < SAMPLE_RATE // 20:
            return Recognition("", None, 0.0, decode_s=time.perf_counter() - started)
        encoded = self.model.encode(pcm)
        transcript = self.model.transcribe(encoded)
        heard = Heard.of(transcript.text)
        chosen = self._exact(heard, transcript.logprob, context)
        candidates = [chosen] if chosen else []
        # An exact phrase needs nothing weighed; talk far longer than any phrase
        # needs no second opinion to be talk.
        if chosen is None and heard.core.count(" ") + 1 <= self.table.longest + 2:
            candidates = self._candidates(encoded, pcm, heard, context)
            chosen = self.decide(candidates, heard, transcript.no_speech)
        return Recognition(
            text=transcript.text,
            command=chosen.command if chosen else None,
            confidence=_confidence(chosen.score) if chosen else 0.0,
            decode_s=time.perf_counter() - started,
            features={"logprob": transcript.logprob, "no_speech": transcript.no_speech},
            candidates=tuple(f"{c.phrase}|{c.score:.3f}|{c.distance:.3f}" for c in candidates),
        )

    def _candidates(
        self, encoded: object, pcm: Pcm, heard: Heard, context: Context
    ) -> list[Candidate]:
        """The phrases nearest the transcript and the grammar's, each scored by Whisper."""
        weighed: dict[str, tuple[Command, float]] = {}
        said = self._said_as_text(heard, context)
        if said is not None:
            weighed[heard.core] = (said, 0.0)
        for match in self.table.closest(heard.core, context, self.settings.candidates):
            weighed.setdefault(match.phrase, (match.command, match.distance))
        grammar = self._grammar_phrase(pcm, heard, context)
        for extra in (self._primed_phrase(encoded, heard, context), grammar):
            command = self.table.command(extra) if extra else None
            if extra and command and extra not in weighed:
                weighed[extra] = (command, self.table.distance(heard.core, extra))
        phrases = list(weighed)
        scores = self.model.score(encoded, [heard.as_said(p) for p in phrases])
        return [
            Candidate(p, weighed[p][0], score, weighed[p][1], from_grammar=p == grammar)
            for p, score in zip(phrases, scores, strict=True)
        ]

    def _primed_phrase(self, encoded: object, heard: Heard, context: Context) -> str | None:
        """A second reading with Whisper primed by the context's words (`_PROMPTS`),
        when that reading is a fitting phrase. It only proposes: the phrase is then
        weighed like any other, by its distance from the plain reading and Whisper's
        plain score, because a primed Whisper also turns unclear words ("eight",
        "on") into commands."""
        prompt = _PROMPTS.get(context, "") if self.settings.prompt else ""
        if not prompt:
            return None
        core = Heard.of(self.model.transcribe(encoded, prompt, max_tokens=8).text).core
        return core if core != heard.core and self.table.fits(core, context) else None

    def _exact(self, heard: Heard, logprob: float, context: Context) -> Candidate | None:
        """The transcript itself when its core is a phrase that fits the context.

        Accepted without scoring or a grammar decode, which saves half the CPU of
        the usual clear command; Whisper's own confidence in its text stands for
        the score."""
        if not self.table.fits(heard.core, context):
            return None
        command = self.table.command(heard.core)
        return Candidate(heard.core, command, logprob, 0.0) if command else None

    def _said_as_text(self, heard: Heard, context: Context) -> Command | None:
        """The command the transcript says as typed text would ("how much time is
        left"), if it fits the context. Several words only: a single misheard word is
        what text matching's typo correction would wrongly rescue."""
        if " " not in heard.core or self.table.fits(heard.core, context):
            return None
        command = self.vocabulary.match_text(heard.core)
        if command is None or not allows(context, command, framed=self.table.framed(heard.core)):
            return None
        return command

    def decide(
        self, candidates: list[Candidate], heard: Heard, no_speech: float
    ) -> Candidate | None:
        """The candidate to act on, or None: see the module docstring."""
        s = self.settings
        if not candidates or no_speech > s.max_no_speech:
            return None
        best = max(candidates, key=lambda c: c.score)
        agreed = [c for c in candidates if c.from_grammar and c.score >= s.grammar_score]
        if agreed and best.distance > 0.0:
            return agreed[0]  # two engines agree; the transcript said neither exactly
        one_word = heard.core.count(" ") == 0 and best.distance > 0.0
        if best.score < (max(s.accept_score, s.one_word_score) if one_word else s.accept_score):
            return None
        if best.distance > s.max_distance and best.score < s.sure_score:
            return None
        return best

    def _grammar_phrase(self, pcm: Pcm, heard: Heard, context: Context) -> str | None:
        if self.grammar is None or not self.settings.grammar:
            return None
        core = reduce_transcript(self.grammar.grammar_text(pcm))
        if not self.table.fits(core, context):
            return None
        if self.table.framed(core) and not self.table.has_frame(heard.core):
            return None  # the grammar forced a start word Whisper did not hear
        return core


_PROMPTS = {
    Context.EXERCISE: "Next. Back. Repeat. Pause. Resume. Stop. Start over. Skip. How long. Tips.",
    Context.CHOOSING: "Bodyweight. Dumbbell. Band. Kettlebell. Barbell. Cable.",
}
"""Previous text that primes Whisper for what may be said, as Whisper writes it."""


def _confidence(score: float) -> float:
    """Whisper's score as 0..1: exp of the mean log-probability per token."""
    return max(0.0, min(1.0, math.exp(score)))
