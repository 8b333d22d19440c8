"""The embedded stack's addresses, shared between `lunch run` and every other command.

`lunch run` writes ``<data-dir>/stack.env``; any command run while the service addresses
are unset in the environment reads it, so `lunch projections status` and friends reach
the servers that `lunch run` started.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

SERVICE_KEYS = ("DATABASE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS")
FILE_NAME = "stack.env"


def stack_env_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def write_stack_env(data_dir: Path, values: Mapping[str, str]) -> Path:
    path = stack_env_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{key}={value}\n" for key, value in values.items())
    tmp = path.with_suffix(".tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(path)
    return path


def read_stack_env(data_dir: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and ``#`` comments are skipped. Missing file → {}."""
    path = stack_env_path(data_dir)
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip()
    return values


def with_stack_env(environ: Mapping[str, str], data_dir: Path) -> dict[str, str]:
    """``environ`` completed from stack.env when any service address is unset.

    Variables already set in ``environ`` always win over the file.
    """
    merged = dict(environ)
    if all(merged.get(key) for key in SERVICE_KEYS):
        return merged
    for key, value in read_stack_env(data_dir).items():
        if not merged.get(key):
            merged[key] = value
    return merged
