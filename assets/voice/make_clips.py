"""Synthesize the voice fixtures listed in clips.jsonl with espeak-ng and sox, deterministically.

Each line of clips.jsonl is the ground truth of one clip: ``file``, ``kind`` (speech, silence or noise),
``text``, ``rating`` (stars or null), ``voice`` (espeak-ng voice+variant), ``noise`` (SNR in dB of added
white noise, or null: the clean set). Clips are 16 kHz mono 16-bit WAV.

Speech clips rotate over the four voices of :data:`VOICES`, each with its own rate, pitch and word gap.
They were chosen by word error rate of Whisper base (faster-whisper, beam 5) on the 25 clean texts spoken
whole by each candidate setting, never clip by clip:

    voice            rate pitch gap  WER    (same texts)
    en-us+m8         145   40    3   0.078
    en-gb+m8         145   40    3   0.088
    en-gb-x-rp+m8    130   40    3   0.069
    en-us+robert     145   40    3   0.069
    en-us            150   50    0   0.12   (the old default; en-us+f2 0.235, en+f3 0.134, en-us+m3 0.166)

The default espeak-ng variants clip the /f/ of "five" ("five out of five" -> "I'm out of time") and blur
"three" into "free"; the m8 and robert variants keep those fricatives audible. A 30 ms word gap (-g 3)
separates words a little; a lower pitch (40) helped en-us (0.12 -> 0.097). A longer lead-in silence did
not help (0.8 s: 0.157).

    python assets/voice/make_clips.py --out /tmp/voice            # every clip
    python assets/voice/make_clips.py --examples                  # the small UI examples (Ogg Vorbis)
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import wave
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere
from mmrec.audio import write_wav  # noqa: E402

HERE = Path(__file__).resolve().parent
SPEC = HERE / "clips.jsonl"
EXAMPLES_DIR = HERE / "examples"
EXAMPLES = ["rated_01.wav", "rated_02.wav", "rated_04.wav", "rated_05.wav", "opinion_01.wav"]
RATE = 16_000
PAD_SECONDS = 0.3
SILENCE_SECONDS, SILENCE_DBFS = 2.0, -70.0
NOISE_SECONDS, NOISE_DBFS = 3.0, -26.0
VOICES = {
    "en-us+m8": {"speed": 145, "pitch": 40, "gap": 3},
    "en-gb+m8": {"speed": 145, "pitch": 40, "gap": 3},
    "en-gb-x-rp+m8": {"speed": 130, "pitch": 40, "gap": 3},
    "en-us+robert": {"speed": 145, "pitch": 40, "gap": 3},
}


def tools_missing() -> list[str]:
    """The external programs this script needs that are not on PATH."""
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


def load_spec(path: Path = SPEC) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def speak(text: str, voice: str) -> np.ndarray:
    """``text`` spoken by espeak-ng in ``voice`` (a key of VOICES), resampled by sox to 16 kHz mono float32."""
    setting = VOICES[voice]
    speech = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(setting["speed"]), "-p", str(setting["pitch"]), "-g", str(setting["gap"])]
        + ["--stdout", text],
        capture_output=True,
        check=True,
    )
    converted = subprocess.run(
        ["sox", "-R", "-D", "-t", "wav", "-", "-r", str(RATE), "-c", "1", "-b", "16", "-t", "wav", "-"]
        + ["pad", str(PAD_SECONDS), str(PAD_SECONDS)],
        input=speech.stdout,
        capture_output=True,
        check=True,
    )
    with wave.open(io.BytesIO(converted.stdout)) as w:
        # espeak-ng streams a WAV header with an unknown length, so read what is there.
        frames = w.readframes(w.getnframes() or 1 << 30)
    return np.frombuffer(frames, dtype=np.int16).astype(np.float32) / 32768.0


def noise(seconds: float, dbfs: float, seed: str) -> np.ndarray:
    """White noise of RMS level ``dbfs``, seeded by ``seed`` so reruns give the same samples."""
    rng = np.random.default_rng(zlib.crc32(seed.encode()))
    return (rng.standard_normal(int(seconds * RATE)) * 10 ** (dbfs / 20)).astype(np.float32)


def render(clip: dict) -> np.ndarray:
    """The samples of one clip of the spec."""
    if clip["kind"] == "silence":
        return noise(SILENCE_SECONDS, SILENCE_DBFS, clip["file"])
    if clip["kind"] == "noise":
        return noise(NOISE_SECONDS, NOISE_DBFS, clip["file"])
    audio = speak(clip["text"], clip["voice"])
    if clip["noise"] is not None:
        speech_dbfs = 20 * np.log10(np.sqrt(np.mean(audio**2)))
        audio = audio + noise(len(audio) / RATE, speech_dbfs - clip["noise"], clip["file"])
    return audio


def make_clips(out: Path, files: list[str] | None = None) -> list[Path]:
    """Render the clips named ``files`` (default: all of the spec) into ``out`` as WAV."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for clip in load_spec():
        if files is None or clip["file"] in files:
            write_wav(out / clip["file"], render(clip), RATE)
            written.append(out / clip["file"])
    return written


def make_examples() -> list[Path]:
    """Render the UI examples into examples/ as small Ogg Vorbis files."""
    EXAMPLES_DIR.mkdir(exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for wav in make_clips(Path(tmp), EXAMPLES):
            ogg = EXAMPLES_DIR / wav.with_suffix(".ogg").name
            subprocess.run(["sox", "-R", str(wav), "-C", "3", str(ogg)], check=True)
            written.append(ogg)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="folder to write every clip of clips.jsonl into")
    group.add_argument("--examples", action="store_true", help=f"write the UI examples into {EXAMPLES_DIR}")
    args = ap.parse_args(argv)
    if missing := tools_missing():
        print(f"missing programs: {', '.join(missing)} (apt-get install espeak-ng sox)", file=sys.stderr)
        return 1
    written = make_examples() if args.examples else make_clips(args.out)
    print(f"wrote {len(written)} clips to {written[0].parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
