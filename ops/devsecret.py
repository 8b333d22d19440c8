"""The development JWT secret of `lunch run`, kept in the data dir so tokens survive a restart."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = "jwt_secret"


def dev_jwt_secret(data_dir: Path) -> str:
    """The secret stored in ``<data-dir>/jwt_secret``, created (owner-only) on first use."""
    path = data_dir / FILE_NAME
    try:
        stored = path.read_text("utf-8").strip()
    except FileNotFoundError:
        stored = ""
    if stored:
        return stored
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret + "\n")
    tmp.replace(path)
    return secret
