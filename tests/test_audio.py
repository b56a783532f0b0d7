"""Audio input handling: decoding, resampling, limits and clear errors. No models."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tracemalloc
from functools import partial
from pathlib import Path

import av
import numpy as np
import pytest
from bad_inputs import click, two_hour_matroska, two_hour_wav, white_noise

from mmrec.audio import MAX_SECONDS, SAMPLE_RATE, is_silent, load_audio, voiced_seconds, write_wav
from mmrec.errors import AudioInputError


def tone(seconds: float, rate: int, freq: float = 440.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def encode(path: Path, samples: np.ndarray, rate: int, codec: str) -> Path:
    """Mono float samples encoded by PyAV into ``path`` (container from the suffix)."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        fmt = stream.codec_context.format.name
        data = samples if fmt in ("flt", "fltp") else (samples * 32767).astype("<i2")
        frame = av.AudioFrame.from_ndarray(
            data.reshape(1, -1), format=fmt if fmt in ("flt", "fltp", "s16", "s16p") else "s16", layout="mono"
        )
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def test_wav_at_16k_loads_unchanged(tmp_path):
    x = tone(1.0, SAMPLE_RATE)
    audio = load_audio(write_wav(tmp_path / "a.wav", x, SAMPLE_RATE))
    assert audio.dtype == np.float32 and audio.shape == x.shape
    assert np.abs(audio - x).max() < 1e-3


@pytest.mark.parametrize("rate, channels", [(11025, 2), (44100, 1), (48000, 2), (8000, 1)])
def test_any_rate_and_stereo_resample_to_16k_mono(tmp_path, rate, channels):
    x = tone(2.0, rate)
    samples = np.stack([x] * channels, axis=1) if channels > 1 else x
    audio = load_audio(write_wav(tmp_path / "a.wav", samples, rate))
    assert audio.ndim == 1 and abs(audio.size - 2 * SAMPLE_RATE) <= 64
    spectrum = np.abs(np.fft.rfft(audio))
    assert abs(np.argmax(spectrum) * SAMPLE_RATE / audio.size - 440) < 5  # still a 440 Hz tone


@pytest.mark.parametrize(
    "suffix, codec",
    [(".flac", "flac"), (".ogg", "libopus"), (".mp3", "libmp3lame"), (".webm", "libopus"), (".m4a", "aac")],
)
def test_compressed_formats_decode(tmp_path, suffix, codec):
    rate = 48000 if codec == "libopus" else 44100  # Opus only runs at 48 kHz
    try:
        path = encode(tmp_path / f"a{suffix}", tone(1.5, rate), rate, codec)
    except (av.FFmpegError, ValueError) as e:
        pytest.skip(f"this PyAV build cannot encode {codec}: {e}")
    audio = load_audio(path)
    assert abs(audio.size - 1.5 * SAMPLE_RATE) < 0.1 * SAMPLE_RATE
    assert 0.2 < np.abs(audio).max() <= 1.0


def test_raw_bytes_decode_like_the_file(tmp_path):
    path = write_wav(tmp_path / "a.wav", tone(1.0, 22050), 22050)
    assert np.array_equal(load_audio(path.read_bytes()), load_audio(path))


def test_gradio_int16_stereo_tuple_becomes_16k_mono():
    x = (tone(1.0, 44100) * 32767).astype(np.int16)
    audio = load_audio((44100, np.stack([x, x], axis=1)))
    assert audio.dtype == np.float32 and abs(audio.size - SAMPLE_RATE) <= 64
    assert 0.45 < np.abs(audio).max() < 0.55


def test_gradio_float_tuple_at_16k_is_kept():
    x = tone(0.5, SAMPLE_RATE)
    assert np.allclose(load_audio((SAMPLE_RATE, x)), x)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(AudioInputError, match="not found: .*nope.wav"):
        load_audio(tmp_path / "nope.wav")


def test_text_file_is_not_audio(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("this is not audio at all\n" * 20)
    with pytest.raises(AudioInputError, match="could not decode 'notes.wav': not an audio file"):
        load_audio(path)


def test_image_file_has_no_audio_stream(tmp_path):
    path = tmp_path / "picture.png"
    with av.open(str(path), "w", format="image2") as out:
        stream = out.add_stream("png", rate=1)
        stream.width = stream.height = 8
        stream.pix_fmt = "rgb24"
        for packet in stream.encode(av.VideoFrame.from_ndarray(np.zeros((8, 8, 3), np.uint8), format="rgb24")):
            out.mux(packet)
    with pytest.raises(AudioInputError, match="not an audio file"):
        load_audio(path)


def test_truncated_file_is_corrupt(tmp_path):
    path = encode(tmp_path / "a.flac", tone(2.0, SAMPLE_RATE), SAMPLE_RATE, "flac")
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(AudioInputError, match="could not decode"):
        load_audio(path)


def test_overlong_clip_states_its_length_and_the_limit(tmp_path):
    path = write_wav(tmp_path / "long.wav", tone(42.0, 8000), 8000)
    with pytest.raises(AudioInputError, match=r"clip is 42\.0 s; the limit is 30 s"):
        load_audio(path)
    assert load_audio(path, max_seconds=60).size == 42 * SAMPLE_RATE


def _refusal_cost(path: Path) -> dict:
    """Seconds and peak-RSS growth (MB) of ``load_audio(path)`` in a fresh process, and its error."""
    script = f"""
import json, resource, time
from mmrec.audio import load_audio
from mmrec.errors import AudioInputError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    load_audio({str(path)!r})
    error = None
except AudioInputError as e:
    error = str(e)
seconds = time.perf_counter() - start
growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({{"seconds": seconds, "rss_growth_mb": growth, "error": error}}))
"""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root)
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "build, message",
    [
        (two_hour_wav, r"clip is 7200\.0 s"),
        (two_hour_matroska, r"clip is 7200\.0 s"),
        (partial(two_hour_matroska, declared_seconds=1.0), r"clip is over 30 s"),
    ],
    ids=["wav", "matroska", "matroska-header-says-1-s"],
)
def test_two_hour_file_is_refused_at_once_with_flat_memory(tmp_path, build, message):
    path = tmp_path / "long"
    path.write_bytes(build())
    cost = _refusal_cost(path)
    assert re.fullmatch(f"{message}; the limit is 30 s", cost["error"] or ""), cost
    assert cost["seconds"] <= 0.5, cost
    assert cost["rss_growth_mb"] < 50, cost  # 30 s at 16 kHz is 2 MB; decoding all of it took > 400 MB


def test_decoding_stops_at_a_configured_limit_when_the_header_lies(tmp_path):
    path = tmp_path / "long.mkv"
    path.write_bytes(two_hour_matroska(declared_seconds=1.0))
    with pytest.raises(AudioInputError, match=r"clip is over 10 s; the limit is 10 s"):
        load_audio(path, max_seconds=10)


def test_overlong_gradio_tuple_is_refused_before_any_copy():
    ten_minutes = np.zeros(600 * SAMPLE_RATE, np.float32)  # 38 MB
    tracemalloc.start()
    try:
        with pytest.raises(AudioInputError, match=r"clip is 600\.0 s; the limit is 30 s"):
            load_audio((SAMPLE_RATE, ten_minutes))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    assert load_audio((8000, np.zeros(8000 * int(MAX_SECONDS), np.int16))).size == MAX_SECONDS * SAMPLE_RATE


def test_too_large_file_is_refused_before_decoding(tmp_path):
    path = write_wav(tmp_path / "a.wav", tone(1.0, SAMPLE_RATE), SAMPLE_RATE)
    with pytest.raises(AudioInputError, match="MB; the limit is 0.01 MB"):
        load_audio(path, max_bytes=10_000)


@pytest.mark.parametrize("source", [b"", (SAMPLE_RATE, np.zeros(0, np.int16))])
def test_empty_input_is_refused(source):
    with pytest.raises(AudioInputError, match="empty"):
        load_audio(source)


@pytest.mark.parametrize(
    "source, message",
    [
        ((0, np.zeros(10)), "sample rate 0"),
        ((SAMPLE_RATE, np.zeros((2, 3, 4))), "shape"),
        ((SAMPLE_RATE, np.array([0.0, np.nan])), "NaN"),
        ((SAMPLE_RATE, np.array(["a", "b"])), "dtype"),
        (12345, "unsupported audio input of type int"),
    ],
)
def test_malformed_inputs_say_what_is_wrong(source, message):
    with pytest.raises(AudioInputError, match=message):
        load_audio(source)


def test_silence_and_quiet_hiss_are_silent_but_speech_level_is_not():
    rng = np.random.default_rng(0)
    assert is_silent(np.zeros(SAMPLE_RATE, np.float32))
    assert is_silent((rng.standard_normal(SAMPLE_RATE) * 10 ** (-70 / 20)).astype(np.float32))
    assert is_silent(np.zeros(0, np.float32))
    assert not is_silent(tone(1.0, SAMPLE_RATE, amplitude=0.05))
    short_click = np.zeros(SAMPLE_RATE, np.float32)
    short_click[8000:8480] = 0.3  # one loud 30 ms frame is enough
    assert not is_silent(short_click)


def test_voiced_seconds_count_sound_that_stands_out_not_steady_noise():
    assert voiced_seconds(np.zeros(2 * SAMPLE_RATE, np.float32)) == 0.0
    assert voiced_seconds(white_noise()) == 0.0
    assert voiced_seconds(tone(2.0, SAMPLE_RATE)) == 0.0  # a steady hum
    assert 0.18 <= voiced_seconds(click(0.2)) <= 0.24
    burst = np.concatenate([np.zeros(SAMPLE_RATE // 2), tone(1.0, SAMPLE_RATE, amplitude=0.05), np.zeros(SAMPLE_RATE)])
    assert 0.95 <= voiced_seconds(burst.astype(np.float32)) <= 1.05
    assert voiced_seconds(np.zeros(0, np.float32)) == 0.0


def test_committed_example_clips_decode():
    examples = sorted((Path(__file__).resolve().parents[1] / "assets" / "voice" / "examples").glob("*.ogg"))
    assert examples, "assets/voice/examples/ holds the UI's example clips"
    for path in examples:
        audio = load_audio(path)
        assert 1.0 < audio.size / SAMPLE_RATE < 10.0 and not is_silent(audio)
