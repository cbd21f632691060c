"""The simulated user: the microphone's side of a session, for tests and benchmarks.

`SimulatedUser` listens before it speaks: each `Turn` is said (synthesized in one
of several voices, over quiet room noise) once its moment comes, such as the
coach falling quiet or the coach a second into a line, and is said again when
the coach does not act on it, as a person repeats a command not heard. `converse`
runs an assembled coach with the user as its audio source. `compose` writes a fixed
script instead, for a WAV to hand to `coach run --audio-in`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from voice.audio import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, AudioSource, Frame, Pcm
from voice.audio.convert import to_pcm
from voice.coaching.assemble import Coach, SessionResult
from voice.events import Heard
from voice.testing.voices import pink_noise, synthesize

# -- the user's side of a session ------------------------------------------------


@dataclass(frozen=True)
class UserLine:
    """Something the user says, after `pause_s` of quiet since the previous line."""

    pause_s: float
    text: str


@dataclass(frozen=True)
class Spoken:
    """Where a line ended up in the composed recording."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class UserScript:
    pcm: Pcm
    lines: tuple[Spoken, ...]


def compose(
    lines: Sequence[UserLine],
    voices: Sequence[Any],
    *,
    tail_s: float = 3.0,
    noise_rms: float = 60.0,
    seed: int = 0,
) -> UserScript:
    """The user's recording: each line in turn in `voices` (cycled), quiet pink noise
    throughout (`noise_rms` of 32767; 0 for none), `tail_s` of quiet after the last."""

    parts: list[Pcm] = []
    spoken: list[Spoken] = []
    t = 0.0
    for i, line in enumerate(lines):
        gap = np.zeros(round(line.pause_s * SAMPLE_RATE), dtype=np.int16)
        speech = synthesize(line.text, voices[i % len(voices)])
        parts += [gap, speech]
        start = t + len(gap) / SAMPLE_RATE
        t = start + len(speech) / SAMPLE_RATE
        spoken.append(Spoken(line.text, start, t))
    parts.append(np.zeros(round(tail_s * SAMPLE_RATE), dtype=np.int16))
    pcm = np.concatenate(parts) if parts else np.zeros(0, np.int16)
    if noise_rms > 0 and len(pcm):
        # Ten seconds of noise, repeated: the same line at the same time hears the
        # same noise however long the script runs on after it.
        block = pink_noise(10 * SAMPLE_RATE, np.random.default_rng(seed)).astype(np.float64)
        noise = np.resize(block, len(pcm)) * (noise_rms / 3000.0)
        pcm = to_pcm(pcm + noise)
    return UserScript(pcm, tuple(spoken))


# -- a user who listens before speaking ------------------------------------------

When = Callable[["Coach", float], bool]
"""Whether the user would say their next line now, given the coach and the time."""


@dataclass(frozen=True)
class Turn:
    """A line the user says once `when` holds; said again (up to `retries` times)
    when the coach did not act on it, as a person repeats a command not heard."""

    text: str
    when: When
    retries: int = 2


@dataclass
class SpokenTurn:
    text: str
    start_s: float
    end_s: float
    over_coach: bool
    """The coach was talking when the user began."""
    attempt: int
    """0 for the first try, 1.. for repeats."""


class Quiet:
    """Tracks how long the coach has been silent (not talking, not counting)."""

    def __init__(self) -> None:
        self._busy_at = 0.0
        self._silent_at = 0.0

    def update(self, coach: Coach, now: float) -> tuple[float, float]:
        """(seconds quiet, seconds talking) as of `now`."""
        if coach.speaker.speaking or coach.countdown.remaining is not None:
            self._busy_at = now
        if not coach.speaker.speaking:
            self._silent_at = now
        return now - self._busy_at, now - self._silent_at


def after_quiet(seconds: float = 1.0) -> When:
    """Once the coach has been quiet (no speech, no hold) for `seconds`."""
    quiet = Quiet()
    return lambda coach, now: quiet.update(coach, now)[0] >= seconds


def while_talking(seconds: float = 0.8, starting: str = "") -> When:
    """Over the coach, `seconds` into a line that starts with `starting`."""
    quiet = Quiet()

    def when(coach: Coach, now: float) -> bool:
        talking = quiet.update(coach, now)[1]
        line = coach.speaker.current_text or ""
        return talking >= seconds and line.startswith(starting)

    return when


class SimulatedUser:
    """The microphone's side of a session: quiet room noise, and each turn's line
    (synthesized in `voices`, in turn) said when its moment comes. An `AudioSource`
    whose frames depend on what the coach is doing, so it needs the `Coach`."""

    def __init__(
        self,
        turns: Sequence[Turn],
        voices: Sequence[Any],
        *,
        tail_s: float = 5.0,
        max_s: float = 600.0,
        noise_rms: float = 60.0,
        seed: int = 0,
        answer_s: float = 2.0,
    ) -> None:
        self.turns = list(turns)
        self.voices = list(voices)
        self.tail_s, self.max_s, self.answer_s = tail_s, max_s, answer_s
        self.spoken: list[SpokenTurn] = []
        self.recording: list[Pcm] = []
        """Every frame the user's side produced (no echo): the session as a WAV's worth."""

        block = pink_noise(10 * SAMPLE_RATE, np.random.default_rng(seed)).astype(np.float64)
        self._noise = np.round(block * (noise_rms / 3000.0)).astype(np.int32)

    def listening_to(self, coach: Coach) -> AudioSource:
        """The user's side as the coach's audio source; it follows what `coach` does."""
        return _UserSource(self, coach)

    def frames(self, coach: Coach) -> Iterator[Frame]:
        pending: Pcm = np.zeros(0, np.int16)
        turn = attempts = heard_before = 0
        done_at: float | None = None
        k = 0
        while k * FRAME_S < self.max_s:
            t = k * FRAME_S
            if len(pending) == 0 and turn < len(self.turns):
                heard = _commands_heard(coach)
                if attempts == 0:
                    if self.turns[turn].when(coach, t):
                        heard_before = heard
                        pending, attempts = self._say(turn, 0, coach, t), 1
                elif heard > heard_before:
                    turn, attempts = turn + 1, 0  # acted on: on to the next line
                elif t > self.spoken[-1].end_s + self.answer_s:
                    if attempts <= self.turns[turn].retries:
                        pending, attempts = self._say(turn, attempts, coach, t), attempts + 1
                    else:
                        turn, attempts = turn + 1, 0  # give up on this one
            if turn >= len(self.turns):
                done_at = t if done_at is None else done_at
                if t >= done_at + self.tail_s:
                    return
            chunk, pending = pending[:FRAME_SAMPLES], pending[FRAME_SAMPLES:]
            i = (k * FRAME_SAMPLES) % len(self._noise)
            frame = self._noise[i : i + FRAME_SAMPLES].copy()
            frame[: len(chunk)] += chunk
            pcm = to_pcm(frame)
            self.recording.append(pcm)
            yield Frame(t, pcm)
            k += 1

    def _say(self, turn: int, attempt: int, coach: Coach, t: float) -> Pcm:
        pcm = synthesize(self.turns[turn].text, self.voices[len(self.spoken) % len(self.voices)])
        end = t + len(pcm) / SAMPLE_RATE
        spoken = SpokenTurn(self.turns[turn].text, t, end, coach.speaker.speaking, attempt)
        self.spoken.append(spoken)
        return pcm


class _UserSource:
    def __init__(self, user: SimulatedUser, coach: Coach) -> None:
        self.user, self.coach = user, coach

    def frames(self) -> Iterator[Frame]:
        return self.user.frames(self.coach)

    def close(self) -> None:
        pass


def _commands_heard(coach: Coach) -> int:
    return sum(1 for e in coach.log.events if isinstance(e, Heard) and e.intent is not None)


def converse(coach: Coach, user: SimulatedUser) -> SessionResult:
    """Run `coach` against a simulated user, to the user's end (or the coach's "quit")."""
    return coach.run(user.listening_to(coach))
