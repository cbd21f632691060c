"""The real speaker and countdown driven by the coaching loop, frame by frame: the
interfaces fit, ticks stay on whole seconds of the hold, and every line ends."""

from __future__ import annotations

from collections import Counter

import numpy as np

from tests.test_session import FakeCatalog
from voice.audio import FRAME_S, SAMPLE_RATE, Frame
from voice.audio.sources import PcmSource
from voice.clock import VirtualClock
from voice.coaching.counting import SpokenCountdown
from voice.coaching.loop import Chain, CoachLoop, EventLog
from voice.coaching.session import Session, SessionSettings
from voice.coaching.stages import EventBus, Outputs
from voice.events import Said, SayEnd, Tick
from voice.intents import Command, Intent
from voice.listening.utterance import Utterance
from voice.speaking.coach_speaker import CoachSpeaker
from voice.speaking.outputs import TimelineOut
from voice.speaking.synth import Synthesizer


class WordSynth(Synthesizer):
    label = "words"

    def synthesize(self, text: str) -> np.ndarray:
        return np.full(round(len(text.split()) * 0.3 * SAMPLE_RATE), 700, np.int16)


class Script:
    def __init__(self, script: list[tuple[float, str, Command]]) -> None:
        self.script = script

    def feed(self, frame: Frame) -> list[Utterance]:
        out = []
        while self.script and self.script[0][0] <= frame.t:
            end, text, command = self.script.pop(0)
            out.append(Utterance(end - 0.4, end, frame.t + FRAME_S, text, command, 0.9))
        return out

    def flush(self) -> list[Utterance]:
        return []

    def expect(self, context: object) -> None:
        pass


def test_a_hold_in_a_session_ticks_on_whole_seconds_and_every_line_ends() -> None:
    clock = VirtualClock()
    out = TimelineOut(keep_s=None)
    speaker = CoachSpeaker(clock, WordSynth(), out)
    countdown = SpokenCountdown(clock, speaker)
    log = EventLog()
    catalog = FakeCatalog()
    guide = next(g for g in catalog.guides if g.steps[0].hold)  # holds in step 1
    listener = Script([(0.5, guide.name, Command(Intent.START, guide.id))])
    session = Session(catalog, SessionSettings())
    chain = Chain(clock, session, Outputs(speaker, countdown), EventBus(log.write), listener)
    loop = CoachLoop(chain)
    loop.run(PcmSource(np.zeros(90 * SAMPLE_RATE, dtype=np.int16)))
    ticks = log.of(Tick)
    assert ticks, "the hold never started"
    hold_s = next(s.hold for s in guide.steps if s.hold).seconds
    assert len(ticks) == round(hold_s)
    gaps = np.diff([t.t for t in ticks])
    assert np.allclose(gaps, 1.0, atol=1e-9)
    said = [e.text for e in log.of(Said)]
    assert "Hold." in said and "And release." in said
    ends = Counter(e.text for e in log.of(SayEnd))
    assert all(ends[text] >= 1 for text in said)
    assert sum(ends.values()) >= len(said)
    assert out.recording().any()
