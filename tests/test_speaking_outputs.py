"""Outputs: the session-timeline recorder (and its WAV), the speakers through a fake
stream, and a clean failure where there is no sound device."""

from __future__ import annotations

import os
import threading
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voice.audio import SAMPLE_RATE
from voice.errors import AudioError
from voice.speaking.outputs import (
    SoundDeviceOut,
    TimelineOut,
    check_writable,
    open_output,
)


def ramp(n: int, start: int = 1) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.int16)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert w.getframerate() == SAMPLE_RATE and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), "<i2")


def test_played_returns_what_was_playing_with_silence_around() -> None:
    out = TimelineOut()
    out.play(ramp(1600), 1.0)  # 0.1 s from 1.0
    got = out.played(0.95, 3200)
    assert not got[:800].any()
    assert np.array_equal(got[800:2400], ramp(1600))
    assert not got[2400:].any()


def test_stop_silences_from_then_on() -> None:
    out = TimelineOut()
    out.play(ramp(16000), 0.0)
    out.stop(0.25)
    got = out.played(0.0, 16000)
    assert np.array_equal(got[:4000], ramp(4000))
    assert not got[4000:].any()


def test_play_replaces_what_was_still_playing() -> None:
    out = TimelineOut()
    out.play(np.full(16000, 5, np.int16), 0.0)
    out.play(np.full(1600, 9, np.int16), 0.5)
    got = out.played(0.0, 16000)
    assert (got[:8000] == 5).all() and (got[8000:9600] == 9).all() and not got[9600:].any()


def test_wav_is_on_the_session_timeline(tmp_path: Path) -> None:
    path = tmp_path / "coach.wav"
    out = TimelineOut(path, keep_s=0.5)
    out.play(np.full(8000, 7, np.int16), 2.0)  # 0.5 s of voice at 2.0 s
    out.play(np.full(16000, 3, np.int16), 10.0)  # cut at 10.25 s
    out.stop(10.25)
    out.close()
    out.close()  # twice is fine
    pcm = read_wav(path)
    assert len(pcm) == round(10.25 * SAMPLE_RATE)
    assert not pcm[:32000].any() and (pcm[32000:40000] == 7).all()
    assert not pcm[40000:160000].any() and (pcm[160000:] == 3).all()


def test_memory_holds_only_the_recent_past() -> None:
    out = TimelineOut(keep_s=2.0)
    for i in range(200):
        out.play(np.ones(1600, np.int16), i * 1.0)
    out.stop(200.0)
    assert len(out._segments) <= 3
    assert out.played(199.0, 1600).all()
    assert not out.played(10.0, 1600).any()  # forgotten, reported as silence


def test_unwritable_wav_fails_before_anything_plays(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="does not exist"):
        TimelineOut(tmp_path / "no" / "such" / "x.wav")
    with pytest.raises(AudioError, match="folder"):
        check_writable(tmp_path)
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(AudioError, match="permission"):
            check_writable(locked / "x.wav")
    check_writable(tmp_path / "fine.wav")


class FakeStream:
    """Stands in for sounddevice.OutputStream; the test pulls blocks by hand."""

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.started = self.closed = False

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.started = False

    def close(self) -> None:
        self.closed = True

    def pull(self) -> np.ndarray:
        frames = self.kwargs["blocksize"]
        block = np.full((frames, 1), -1, np.int16)
        self.kwargs["callback"](block, frames, None, None)
        return block[:, 0].copy()


def test_speakers_play_in_blocks_and_stop_within_one() -> None:
    streams: list[FakeStream] = []

    def factory(**kwargs: Any) -> FakeStream:
        streams.append(FakeStream(**kwargs))
        return streams[-1]

    out = SoundDeviceOut(stream_factory=factory, block_s=0.02)
    stream = streams[0]
    assert stream.started and stream.kwargs["samplerate"] == SAMPLE_RATE
    assert stream.kwargs["blocksize"] == 320 and stream.kwargs["dtype"] == "int16"
    assert stream.kwargs["latency"] == "low"
    out.play(ramp(1000), 0.0)
    assert np.array_equal(stream.pull(), ramp(320))
    assert out.playing
    out.stop(0.02)
    assert not stream.pull().any()  # the very next block is silence
    assert not out.playing
    assert np.array_equal(out.played(0.0, 320), ramp(320))  # the echo reference
    out.close()
    out.close()
    assert stream.closed


def test_speakers_pad_the_last_block_with_silence() -> None:
    holder: list[FakeStream] = []
    out = SoundDeviceOut(stream_factory=lambda **k: holder.append(FakeStream(**k)) or holder[-1])
    out.play(ramp(100), 0.0)
    block = holder[0].pull()
    assert np.array_equal(block[:100], ramp(100)) and not block[100:].any()
    out.close()


def test_a_failing_stream_is_one_audio_error() -> None:
    def factory(**kwargs: Any) -> FakeStream:
        raise RuntimeError("device unplugged")

    with pytest.raises(AudioError, match="device unplugged"):
        SoundDeviceOut(stream_factory=factory)


def test_no_sound_device_here_fails_cleanly_without_hanging() -> None:
    """This machine has PortAudio but no output device: an AudioError, quickly."""
    result: list[BaseException | SoundDeviceOut] = []

    def attempt() -> None:
        try:
            result.append(SoundDeviceOut())
        except BaseException as e:
            result.append(e)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(10)
    assert result, "opening the speakers hung"
    if isinstance(result[0], SoundDeviceOut):
        result[0].close()
        pytest.skip("this machine has a sound device")
    assert isinstance(result[0], AudioError)
    assert "\n" not in str(result[0])


def test_recording_keeps_the_whole_session_when_asked() -> None:
    out = TimelineOut(keep_s=None)
    out.play(np.full(1600, 4, np.int16), 100.0)
    out.stop(200.0)
    pcm = out.recording()
    assert len(pcm) == 200 * SAMPLE_RATE
    assert (pcm[1_600_000:1_601_600] == 4).all() and np.count_nonzero(pcm) == 1600
    with pytest.raises(ValueError, match="keep_s=None"):
        TimelineOut().recording()


def test_open_output_falls_back_to_captions_with_one_warning(tmp_path: Path) -> None:
    warnings: list[str] = []

    def no_device(**kwargs: Any) -> FakeStream:
        raise AudioError("no audio output device (Error querying device -1)")

    out = open_output(warn=warnings.append, stream_factory=no_device)
    assert isinstance(out, TimelineOut) and out.path is None  # silent, yet an echo reference
    out.play(ramp(100), 0.0)
    assert out.played(0.0, 100).any()
    assert warnings == ["no audio output device (Error querying device -1); showing captions only"]
    assert isinstance(open_output(tmp_path / "x.wav"), TimelineOut)
    assert isinstance(open_output(device=False), TimelineOut)
