"""Typed errors of mmrec, in one place.

Every error a user can cause derives from :class:`MMRecError`; its message names the bad value and
what would be valid, so the session API and the UI can show it as it is.
"""

from __future__ import annotations


class MMRecError(Exception):
    """Base class of every error mmrec raises on purpose."""


class CatalogError(MMRecError):
    """The catalog folder or one of its files cannot be used at all."""


class BadEventError(MMRecError):
    """An interaction is malformed: not JSON, unknown type, missing or wrong field."""


class UnknownItemError(BadEventError):
    """An interaction names an item id the catalog does not have."""


class InputError(MMRecError):
    """User-supplied content (text, audio, image) cannot be used."""


class TextInputError(InputError):
    """Text is empty or too long."""


class NotUnderstoodError(TextInputError):
    """Text is gibberish or in a language the recommender does not read; nothing was changed."""


class AudioInputError(InputError):
    """Audio is missing, corrupt, too long, too large or holds no speech."""


class ImageInputError(InputError):
    """An image is missing, corrupt, too large or not an image."""


class TooLittleDataError(MMRecError):
    """A catalog holds too little data to fit a model to it; the caller goes on without and says why."""


class ModelUnavailableError(MMRecError):
    """A model is not loaded (weights missing, dependency absent); the message says why."""


class MediaAccessError(InputError):
    """A client named a server file it may not use (outside the upload and catalog folders, or missing)."""


class StudyError(MMRecError):
    """A study file, study database or participant request cannot be used; the message says why."""


class ConfigError(MMRecError):
    """A recommender config or registry name is invalid; the message lists the valid choices."""


class LogError(MMRecError):
    """A session log (turn records, evaluation turns) cannot be read or lacks what is asked of it."""
