"""The Dockerfile builds a working image that runs as a non-root user. Needs a Docker daemon:
skipped, saying why, where none answers (as on most CI runners and development sandboxes)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TAG = "docclub:test-image"


def _daemon_unavailable() -> str | None:
    if shutil.which("docker") is None:
        return "the docker command is not installed"
    try:
        answer = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"docker info failed: {exc}"
    if answer.returncode != 0:
        return "no Docker daemon answers: " + (answer.stderr.strip().splitlines() or ["docker info failed"])[-1]
    return None


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_image_builds_and_runs_docclub_as_a_non_root_user() -> None:
    reason = _daemon_unavailable()
    if reason:
        pytest.skip(reason)
    subprocess.run(["docker", "build", "-t", TAG, str(ROOT)], check=True, timeout=1700)
    user = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "id", TAG, "-u"], capture_output=True, text=True, check=True
    )
    assert user.stdout.strip() not in ("", "0")
    helped = subprocess.run(["docker", "run", "--rm", TAG, "--help"], capture_output=True, text=True, check=True)
    assert "doctor" in helped.stdout
    manifest = subprocess.run(
        ["docker", "run", "--rm", TAG, "slack", "manifest", "--format", "json"], capture_output=True, text=True
    )
    assert manifest.returncode == 0 and '"/docclub"' in manifest.stdout
