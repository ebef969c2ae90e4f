"""Where photo bytes live, by key; local disk now, an S3-compatible store can implement the same."""

import os
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app


class Storage(Protocol):
    """A flat store of immutable files addressed by keys such as 'originals/ab/<sha256>'."""

    def put_file(self, key: str, path: Path) -> None:
        """Store the file at path under key, atomically; the file at path is consumed."""

    def exists(self, key: str) -> bool:
        """True when something is stored under key."""

    def open(self, key: str) -> BinaryIO:
        """The stored bytes for reading; FileNotFoundError when there are none."""


class LocalStorage:
    """Files under a root directory; staging files must live on the same file system."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file that holds key."""
        parts = Path(key).parts
        if not parts or Path(key).is_absolute() or ".." in parts:
            raise ValueError(f"bad storage key {key!r}")
        return self.root.joinpath(*parts)

    def put_file(self, key: str, path: Path) -> None:
        """Move path into place: readers see the whole file or none (os.replace is atomic)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o644)
        os.replace(path, target)

    def exists(self, key: str) -> bool:
        """True when key's file is there."""
        return self.path(key).is_file()

    def open(self, key: str) -> BinaryIO:
        """key's file, opened for reading."""
        return open(self.path(key), "rb")


def media_storage() -> LocalStorage:
    """The storage of the current app (MEDIA_ROOT)."""
    return LocalStorage(current_app.config["MEDIA_ROOT"])


def staging_dir() -> Path:
    """Where uploads are received before they are checked: MEDIA_ROOT/tmp."""
    path = Path(current_app.config["MEDIA_ROOT"]) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path
