"""Emulator processes for the contract suites: start on a free port, wait until ready, stop.

Each emulator runs in its own process group so stopping it also stops what its launcher spawned
(the Firestore emulator's shell script starts a JVM).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_ok(url: str) -> Callable[[], bool]:
    """Ready when ``url`` answers 200."""

    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                return bool(resp.status == 200)
        except OSError:
            return False

    return check


def tcp_open(port: int) -> Callable[[], bool]:
    """Ready when something accepts connections on 127.0.0.1:``port``."""

    def check() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    return check


@dataclass
class Emulator:
    """A running emulator process."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def log_tail(self, chars: int = 2000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self) -> None:
        """SIGTERM the process group, then SIGKILL whatever is left after 5 s."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass


def start(
    name: str,
    argv: Sequence[str],
    *,
    port: int,
    ready: Callable[[], bool],
    log_dir: Path,
    timeout_s: float = 30.0,
) -> Emulator:
    """Start ``argv`` and wait until ``ready()``; raise with the log tail if it never is."""
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(argv), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    emulator = Emulator(name, port, process, log)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if ready():
            return emulator
        time.sleep(0.05)
    emulator.stop()
    raise RuntimeError(f"{name} did not start (exit {process.returncode}):\n{emulator.log_tail()}")


def firestore_emulator_command() -> list[str] | None:
    """How to launch the Firestore emulator, or None where it is not installed.

    ``ADLOOP_FIRESTORE_EMULATOR`` names its launcher; otherwise it is looked for where the gcloud
    SDK keeps its components (``gcloud components install cloud-firestore-emulator``).
    """
    launcher = os.environ.get("ADLOOP_FIRESTORE_EMULATOR")
    if not launcher:
        gcloud = shutil.which("gcloud")
        if gcloud is None or shutil.which("java") is None:
            return None
        sdk = Path(gcloud).resolve().parent.parent
        launcher = str(sdk / "platform" / "cloud-firestore-emulator" / "cloud_firestore_emulator")
    if not Path(launcher).is_file():
        return None
    return ["bash", launcher, "start"]


def tasks_emulator_path() -> Path:
    """gcloud-tasks-emulator, installed in its own virtualenv (it pins protobuf<5)."""
    default = REPO / ".venv-emulators" / "bin" / "gcloud-tasks-emulator"
    return Path(os.environ.get("ADLOOP_TASKS_EMULATOR", str(default)))


def storage_emulator_path() -> Path | None:
    """gcp-storage-emulator from the project's own virtualenv (a dev dependency)."""
    found = Path(sys.executable).with_name("gcp-storage-emulator")
    return found if found.is_file() else None
