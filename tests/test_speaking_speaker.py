"""The coach's voice on a virtual clock: line timing, the queue, stop(), and the promise
that every line handed to say() gets exactly one end event."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from voice.audio import FRAME_S, SAMPLE_RATE
from voice.clock import VirtualClock
from voice.events import Said, SayEnd
from voice.speaking.captions import Captions
from voice.speaking.coach_speaker import CoachSpeaker
from voice.speaking.outputs import TimelineOut
from voice.speaking.synth import SynthError, Synthesizer


class WordSynth(Synthesizer):
    """0.25 s of a constant tone per word: lengths known to the sample."""

    label = "words"

    def __init__(self, per_word_s: float = 0.25) -> None:
        self.per_word_s = per_word_s
        self.texts: list[str] = []

    def synthesize(self, text: str) -> np.ndarray:
        self.texts.append(text)
        return np.full(round(len(text.split()) * self.per_word_s * SAMPLE_RATE), 1000, np.int16)


class BrokenSynth(Synthesizer):
    label = "broken"

    def synthesize(self, text: str) -> np.ndarray:
        raise SynthError("engine gone")


def run_frames(clock: VirtualClock, speaker: CoachSpeaker, seconds: float, start_frame: int = 0):
    """Advance frame by frame (times as the loop computes them) collecting events."""
    events = []
    frames = round(seconds / FRAME_S)
    for i in range(start_frame + 1, start_frame + frames + 1):
        clock.advance_to(i * FRAME_S)
        events += speaker.update()
    return events


def test_a_line_starts_now_and_ends_after_its_audio() -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, WordSynth(), TimelineOut())
    clock.advance_to(0.5)
    speaker.say("Lie on your back.")  # four words: 1.0 s
    assert speaker.speaking and speaker.current_text == "Lie on your back."
    events = speaker.update() + run_frames(clock, speaker, 2.0, start_frame=25)
    assert events == [
        Said(0.5, "Lie on your back."),
        SayEnd(1.5, "Lie on your back.", False),
    ]
    assert not speaker.speaking and speaker.current_text is None


def test_queued_lines_follow_one_another() -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, WordSynth(), TimelineOut())
    speaker.say("One two.")
    speaker.say("Three.")
    events = run_frames(clock, speaker, 2.0)
    assert [type(e).__name__ for e in events] == ["Said", "SayEnd", "Said", "SayEnd"]
    assert events[1].t == 0.5 and events[2].t == 0.5  # next starts on the frame the first ends
    assert events[3].t == 0.75


def test_long_text_is_cleaned_and_split_into_lines() -> None:
    clock = VirtualClock()
    synth = WordSynth()
    speaker = CoachSpeaker(clock, synth, TimelineOut())
    speaker.say("**Lie** down 💪. See https://x.io/v. Then *lift*!")
    run_frames(clock, speaker, 5.0)
    assert synth.texts == ["Lie down.", "See.", "Then lift!"]


def test_stop_mid_line_cuts_it_and_ends_every_queued_line() -> None:
    clock = VirtualClock()
    out = TimelineOut()
    speaker = CoachSpeaker(clock, WordSynth(), out)
    speaker.say("one two three four five six seven eight")  # 2 s
    speaker.say("Queued line.")
    speaker.say("Another queued line.")
    events = run_frames(clock, speaker, 0.68)
    clock.advance_to(0.7)
    speaker.stop()
    events += speaker.update()
    assert events == [
        Said(0.0, "one two three four five six seven eight"),
        SayEnd(0.7, "one two three four five six seven eight", True),
        SayEnd(0.7, "Queued line.", True),
        SayEnd(0.7, "Another queued line.", True),
    ]
    assert not speaker.speaking
    heard = out.played(0.0, 2 * SAMPLE_RATE)
    cut = round(0.7 * SAMPLE_RATE)
    assert heard[:cut].all() and not heard[cut:].any()  # silence from the stop on


def test_a_failing_synth_keeps_the_line_as_silence_and_warns() -> None:
    clock = VirtualClock()
    console = Console(file=StringIO(), width=200)
    speaker = CoachSpeaker(clock, BrokenSynth(), TimelineOut(), captions=Captions(console))
    speaker.say("Keep your back flat.")
    events = run_frames(clock, speaker, 5.0)
    assert [type(e) for e in events] == [Said, SayEnd]
    assert 1.0 < events[1].t < 3.0  # about as long as saying it would take
    text = console.file.getvalue()
    assert "coach: Keep your back flat." in text and "engine gone" in text


def test_text_with_nothing_to_say_is_no_line() -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, WordSynth(), TimelineOut())
    speaker.say("💪 **  **")
    assert not speaker.speaking and speaker.update() == []


def test_close_ends_the_line_and_is_safe_twice() -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, WordSynth(), TimelineOut())
    speaker.say("a b c d")
    speaker.close()
    speaker.close()
    assert speaker.update() == [Said(0.0, "a b c d"), SayEnd(0.0, "a b c d", True)]


actions = st.lists(
    st.one_of(
        st.tuples(st.just("say"), st.integers(1, 12)),
        st.tuples(st.just("stop"), st.just(0)),
        st.tuples(st.just("wait"), st.integers(1, 150)),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(actions)
def test_every_line_gets_exactly_one_end(script: list[tuple[str, int]]) -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, WordSynth(0.1), TimelineOut(), split=False)
    said: list[str] = []
    events = []
    frame = 0
    for n, (kind, arg) in enumerate(script):
        if kind == "say":
            said.append(f"line {n} " + "w " * arg)
            speaker.say(said[-1])
        elif kind == "stop":
            speaker.stop()
        else:
            for _ in range(arg):
                frame += 1
                clock.advance_to(frame * FRAME_S)
                events += speaker.update()
    speaker.stop()
    events += speaker.update()
    ends = Counter(e.text for e in events if isinstance(e, SayEnd))
    starts = Counter(e.text for e in events if isinstance(e, Said))
    assert ends == Counter(said)
    assert all(starts[text] <= 1 for text in starts)
    # Time never runs backwards within a line: its end is not before its start.
    start_at = {e.text: e.t for e in events if isinstance(e, Said)}
    for e in events:
        if isinstance(e, SayEnd) and e.text in start_at:
            assert e.t >= start_at[e.text]


class PrefetchingSynth(WordSynth):
    def __init__(self) -> None:
        super().__init__()
        self.prefetched: list[str] = []

    def prefetch(self, texts) -> None:
        self.prefetched += list(texts)


def test_later_lines_of_a_text_are_prepared_in_the_background() -> None:
    clock = VirtualClock()
    synth = PrefetchingSynth()
    speaker = CoachSpeaker(clock, synth, TimelineOut())
    speaker.say("First one. Second one. Third one.")
    assert synth.texts == ["First one."]  # only the line that plays now, synchronously
    assert synth.prefetched == ["Second one.", "Third one."]
    speaker.prepare(["**Hold.**", "And release."])
    assert synth.prefetched[-2:] == ["Hold.", "And release."]
