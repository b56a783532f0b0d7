"""Audio input: any file, bytes or Gradio ``(sample_rate, array)`` tuple -> 16 kHz mono float32 in [-1, 1].

Files and bytes are decoded with PyAV (wav, webm, ogg, mp3, m4a, flac, ...); every failure is an
:class:`~mmrec.errors.AudioInputError` whose message says what was wrong and what would be accepted.
Limits are checked before the expensive work: the size before opening, the duration the container
declares before decoding, and the decoded length frame by frame (headers can lie or be absent), so a
hostile two-hour file costs no more than ``max_seconds`` of audio.
"""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path

import av
import numpy as np

from mmrec.errors import AudioInputError

SAMPLE_RATE = 16_000
MAX_SECONDS = 30.0
"""Default longest clip :func:`load_audio` accepts, in seconds."""
MAX_BYTES = 20_000_000
"""Default largest file or byte string :func:`load_audio` accepts (20 MB)."""
AudioSource = str | os.PathLike | bytes | bytearray | tuple

_FRAME = SAMPLE_RATE * 30 // 1000  # 30 ms analysis frames for the silence check and the voice detector
VOICED_FLOOR_DBFS = -45.0
"""A frame quieter than this is never voiced."""
VOICED_OVER_NOISE_DB = 12.0
"""A voiced frame is this much louder than the clip's noise floor (its quietest tenth of frames)."""
_INT_SCALE = {np.dtype(np.int16): 32768.0, np.dtype(np.int32): 2147483648.0, np.dtype(np.uint8): 128.0}


def load_audio(source: AudioSource, *, max_seconds: float = MAX_SECONDS, max_bytes: int = MAX_BYTES) -> np.ndarray:
    """``source`` as 16 kHz mono float32 samples in [-1, 1].

    ``source`` is a file path, the raw bytes of an audio file, or ``(sample_rate, samples)`` as Gradio's
    audio component gives it (int16/int32/uint8 or float samples, shape ``(n,)`` or ``(n, channels)``).
    Raises AudioInputError for a missing, corrupt, non-audio, empty, too large (``max_bytes``) or too
    long (``max_seconds``) input; the length is refused before decoding or resampling what is too long.
    """
    if isinstance(source, tuple):
        audio = _from_array(source, max_seconds)
    elif isinstance(source, (bytes, bytearray)):
        _check_size(len(source), max_bytes, "audio data")
        audio = _decode(io.BytesIO(bytes(source)), "the audio data", max_seconds)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise AudioInputError(f"audio file not found: {str(path)!r}")
        _check_size(path.stat().st_size, max_bytes, f"audio file {path.name!r}")
        audio = _decode(path, repr(path.name), max_seconds)
    else:
        raise AudioInputError(
            f"unsupported audio input of type {type(source).__name__}; "
            "expected a file path, bytes or a (sample_rate, samples) tuple"
        )
    if audio.size == 0:
        raise AudioInputError("the audio is empty: it holds no samples")
    return np.clip(audio, -1.0, 1.0)


def is_silent(audio: np.ndarray, *, threshold_dbfs: float = -50.0) -> bool:
    """True when no 30 ms frame of ``audio`` (16 kHz float samples) is louder than ``threshold_dbfs`` RMS."""
    return audio.size == 0 or float(_frame_dbfs(audio).max()) < threshold_dbfs


def voiced_seconds(audio: np.ndarray) -> float:
    """Seconds of ``audio`` (16 kHz float samples) that stand out as sound: a simple energy voice detector.

    A 30 ms frame counts when it is louder than :data:`VOICED_FLOOR_DBFS` and :data:`VOICED_OVER_NOISE_DB`
    over the clip's noise floor, so steady sound (silence, hiss, white noise, a hum) has none and a click
    only its own length.
    """
    if audio.size == 0:
        return 0.0
    level = _frame_dbfs(audio)
    voiced = (level > VOICED_FLOOR_DBFS) & (level > np.percentile(level, 10) + VOICED_OVER_NOISE_DB)
    return float(voiced.sum()) * _FRAME / SAMPLE_RATE


def _frame_dbfs(audio: np.ndarray) -> np.ndarray:
    """RMS level in dBFS of each 30 ms frame of non-empty ``audio`` (one frame when shorter)."""
    n = max(1, audio.size // _FRAME)
    frames = audio[: n * _FRAME].reshape(n, -1) if audio.size >= _FRAME else audio.reshape(1, -1)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-10))


def duration_s(audio: np.ndarray) -> float:
    """Length in seconds of 16 kHz samples."""
    return audio.size / SAMPLE_RATE


def _check_size(size: int, max_bytes: int, what: str) -> None:
    if size == 0:
        raise AudioInputError(f"{what} is empty: 0 bytes")
    if size > max_bytes:
        raise AudioInputError(f"{what} is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:g} MB")


def _check_length(seconds: float, max_seconds: float, *, at_least: bool = False) -> None:
    if seconds > max_seconds:
        length = f"over {max_seconds:g} s" if at_least else f"{seconds:.1f} s"
        raise AudioInputError(f"clip is {length}; the limit is {max_seconds:g} s")


def _declared_seconds(container: av.container.InputContainer) -> float | None:
    """The duration the first audio stream, else the container, declares; None when neither does."""
    stream = container.streams.audio[0]
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _decode(file: Path | io.BytesIO, what: str, max_seconds: float) -> np.ndarray:
    """Every audio sample of ``file``'s first audio stream, resampled to 16 kHz mono float32.

    Refuses a clip longer than ``max_seconds`` from its declared duration before decoding, and stops
    decoding at the first frame that takes the decoded length past the limit.
    """
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    chunks = []
    decoded = 0.0
    try:
        with av.open(file, mode="r") as container:
            if not container.streams.audio:
                raise AudioInputError(f"could not decode {what}: not an audio file (it has no audio stream)")
            _check_length(_declared_seconds(container) or 0.0, max_seconds)
            for frame in container.decode(audio=0):
                decoded += frame.samples / frame.sample_rate
                _check_length(decoded, max_seconds, at_least=True)
                chunks.extend(resampler.resample(frame))
            chunks.extend(resampler.resample(None))
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as e:
        # FFmpeg's own words ("[Errno 1094995529] Invalid data found...") mean nothing to the user.
        raise AudioInputError(f"could not decode {what}: not an audio file, or a corrupt one") from e
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([c.to_ndarray().reshape(-1) for c in chunks]).astype(np.float32)


def _from_array(source: tuple, max_seconds: float) -> np.ndarray:
    """A Gradio-style ``(sample_rate, samples)`` tuple as 16 kHz mono float32, refused before any copy
    when longer than ``max_seconds``."""
    if len(source) != 2:
        raise AudioInputError(f"an audio tuple must be (sample_rate, samples); got {len(source)} elements")
    rate, samples = source
    if not isinstance(rate, (int, np.integer)) or not 1000 <= rate <= 384_000:
        raise AudioInputError(f"sample rate {rate!r} is not valid; expected an integer from 1000 to 384000 Hz")
    x = np.asarray(samples)
    if x.ndim not in (1, 2):
        raise AudioInputError(f"audio samples must have shape (n,) or (n, channels); got {x.shape}")
    _check_length(len(x) / rate, max_seconds)
    if x.ndim == 2:
        x = x.mean(axis=1) if x.dtype.kind == "f" else x.astype(np.float64).mean(axis=1).astype(x.dtype)
    if x.dtype in _INT_SCALE:
        x = (x.astype(np.float32) - (128.0 if x.dtype == np.uint8 else 0.0)) / _INT_SCALE[x.dtype]
    elif x.dtype.kind == "f":
        x = x.astype(np.float32)
        if not np.isfinite(x).all():
            raise AudioInputError("audio samples contain NaN or infinite values")
    else:
        raise AudioInputError(f"audio samples of dtype {x.dtype} are not supported; expected int16, int32 or float")
    return x if rate == SAMPLE_RATE else _resample(x, int(rate))


def _resample(x: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 samples at ``rate`` resampled to 16 kHz with FFmpeg's resampler."""
    frame = av.AudioFrame.from_ndarray(x.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    out = resampler.resample(frame) + resampler.resample(None)
    if not out:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([f.to_ndarray().reshape(-1) for f in out]).astype(np.float32)


def write_wav(path: str | os.PathLike[str], samples: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """``samples`` of shape (n,) or (n, channels) in [-1, 1] as a 16-bit PCM WAV file at ``path``."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1 if pcm.ndim == 1 else pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return Path(path)
