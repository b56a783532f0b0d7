"""The shopper's sentences spoken by espeak-ng (several voices and speeds) into WAV files, cached per run."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import numpy as np

from ..errors import ModelUnavailableError

VOICES = ("en-us+m8", "en-gb+m8", "en-gb-x-rp+m8", "en-us+robert")
"""The espeak-ng voices Whisper base transcribes best (see assets/voice/make_clips.py)."""
SPEEDS = (130, 145, 160)


class Speaker:
    """Speaks text into ``folder``; a clip already made for the same text, voice and speed is reused."""

    def __init__(self, folder: Path) -> None:
        if shutil.which("espeak-ng") is None:
            raise ModelUnavailableError("the voice arm needs espeak-ng on PATH (apt-get install espeak-ng)")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def speak(self, text: str, rng: np.random.Generator) -> tuple[Path, dict[str, object]]:
        """A WAV file of ``text`` in a voice and speed drawn from ``rng``, and those settings."""
        voice = VOICES[int(rng.integers(len(VOICES)))]
        speed = SPEEDS[int(rng.integers(len(SPEEDS)))]
        key = hashlib.sha256(f"{voice}|{speed}|{text}".encode()).hexdigest()[:16]
        path = self.folder / f"{key}.wav"
        if not path.is_file():
            command = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", "40", "-g", "3", "-w", str(path), text]
            subprocess.run(command, check=True, capture_output=True)
        return path, {"voice": voice, "speed": speed}
