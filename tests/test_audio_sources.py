"""Audio sources: WAV files of any format become 16 kHz mono frames; bad input is one line."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from voice.audio import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE
from voice.audio.sources import MicSource, PcmSource, WallPacer, WavSource, read_wav
from voice.errors import AudioError


def tone(seconds: float, rate: int, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return amp * np.sin(2 * np.pi * freq * t)


def write(path: Path, x: np.ndarray, rate: int, width: int, channels: int = 1) -> Path:
    """Write float samples in [-1, 1] as a WAV of the given sample width and channels."""
    data = np.repeat(x[:, None], channels, axis=1).reshape(-1)
    if width == 1:
        raw = np.round(data * 127 + 128).astype(np.uint8).tobytes()
    elif width == 2:
        raw = np.round(data * 32767).astype("<i2").tobytes()
    elif width == 3:
        v = np.round(data * (2**23 - 1)).astype(np.int32)
        raw = (
            np.stack([v & 255, (v >> 8) & 255, (v >> 16) & 255], axis=1).astype(np.uint8).tobytes()
        )
    else:
        raw = np.round(data * (2**31 - 1)).astype("<i4").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(raw)
    return path


@pytest.mark.parametrize(
    ("rate", "width", "channels"),
    [(16000, 2, 1), (48000, 2, 2), (8000, 1, 1), (44100, 3, 2), (22050, 4, 1), (11025, 2, 1)],
)
def test_any_format_becomes_16k_mono(tmp_path: Path, rate: int, width: int, channels: int) -> None:
    path = write(tmp_path / "a.wav", tone(1.0, rate), rate, width, channels)
    source = WavSource(path)
    frames = list(source.frames())
    source.close()
    assert all(len(f.pcm) == FRAME_SAMPLES and f.pcm.dtype == np.int16 for f in frames)
    assert [f.t for f in frames[:3]] == pytest.approx([0.0, FRAME_S, 2 * FRAME_S])
    assert len(frames) * FRAME_S == pytest.approx(1.0, abs=0.05)
    pcm = np.concatenate([f.pcm for f in frames])[: SAMPLE_RATE - 400]
    rms = float(np.sqrt(np.mean(pcm.astype(float) ** 2)))
    assert rms == pytest.approx(0.5 * 32767 / np.sqrt(2), rel=0.1)
    # The pitch survives: the strongest frequency is still 440 Hz.
    spectrum = np.abs(np.fft.rfft(pcm.astype(float)))
    peak = np.argmax(spectrum) * SAMPLE_RATE / len(pcm)
    assert peak == pytest.approx(440, abs=5)


def test_read_wav_and_pcm_source(tmp_path: Path) -> None:
    path = write(tmp_path / "a.wav", tone(0.5, 16000), 16000, 2)
    pcm = read_wav(path)
    assert len(pcm) == 8000
    frames = list(PcmSource(pcm[:1000]).frames())
    assert len(frames) == 4 and len(frames[-1].pcm) == FRAME_SAMPLES


def test_realtime_paces_to_the_clock(tmp_path: Path) -> None:
    path = write(tmp_path / "a.wav", tone(0.2, 16000), 16000, 2)
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    frames = list(WavSource(path, realtime=True, sleep=sleep, now=lambda: now[0]).frames())
    assert len(frames) == 10
    assert sum(slept) == pytest.approx(frames[-1].t)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, this is not audio", "not a readable WAV file"),
        (b"", "not a readable WAV file"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "not a readable WAV file"),
    ],
)
def test_bad_files_are_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as error:
        list(WavSource(path).frames())
    assert message in str(error.value) and str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="no such file"):
        WavSource(tmp_path / "nope.wav")


def test_truncated_data_still_streams_what_is_there(tmp_path: Path) -> None:
    path = write(tmp_path / "a.wav", tone(1.0, 16000), 16000, 2)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 1])  # header claims more than is there; odd byte
    frames = list(WavSource(path).frames())
    assert 0.4 < len(frames) * FRAME_S < 0.6


def test_empty_audio_gives_no_frames(tmp_path: Path) -> None:
    path = write(tmp_path / "a.wav", np.zeros(0), 16000, 2)
    assert list(WavSource(path).frames()) == []


def test_no_microphone_fails_cleanly() -> None:
    # This machine has no capture device: opening must fail with the hint, not hang.
    try:
        source = MicSource()
    except AudioError as error:
        assert "--text" in str(error) and "--audio-in" in str(error)
        assert "\n" not in str(error)
    else:  # a machine with a microphone: it opens and closes
        source.close()


def test_the_wall_pacer_waits_for_absolute_times_so_slow_frames_do_not_add_up() -> None:
    clock = {"now": 100.0}
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))
        clock["now"] += seconds

    pacer = WallPacer(sleep=sleep, now=lambda: clock["now"])
    for k in range(1, 6):
        pacer(10.0 + k * 0.02)
        clock["now"] += 0.005  # each frame takes 5 ms to process
    # The first call anchors; later ones wait only what is left of each 20 ms frame.
    assert waits == [0.015] * 4
    assert clock["now"] == pytest.approx(100.0 + 4 * 0.02 + 0.005)
    pacer(10.0)  # a time already past: no wait
    assert len(waits) == 4
