"""The names and refusals shared by every upload; ``datasets.file_store`` stores the files."""

from django.conf import settings
from django.utils.translation import gettext as _


def safe_display_name(name: str) -> str:
    """Return the base name of an uploaded file without path parts or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return (cleaned.strip(" .") or "file")[:255]


def file_too_large_message(name: str, size: int) -> str:
    """Return the message shown for a file over ``settings.MAX_UPLOAD_SIZE``."""
    return _("%(name)s is %(size).1f GiB; the largest file the hub accepts is %(limit).1f GiB.") % {
        "name": name,
        "size": size / 1024**3,
        "limit": settings.MAX_UPLOAD_SIZE / 1024**3,
    }
