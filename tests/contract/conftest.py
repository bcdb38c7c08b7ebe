"""Emulators for the contract suites, started once per session on free ports and always stopped.

An emulator that is not installed skips only the adapter that needs it, with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.contract import emulators

FIRESTORE_SKIP = (
    "FIRESTORE_EMULATOR_HOST not set: the Firestore emulator (gcloud, Java) is not installable "
    "from PyPI; cloudbuild.yaml runs this suite under it (also started here when the gcloud "
    "component cloud-firestore-emulator and java are on PATH, or ADLOOP_FIRESTORE_EMULATOR "
    "names its launcher)"
)


@pytest.fixture(scope="session")
def firestore_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """host:port of a Firestore emulator: the one named by the environment, or one started."""
    named = os.environ.get("FIRESTORE_EMULATOR_HOST")
    if named:
        yield named
        return
    command = emulators.firestore_emulator_command()
    if command is None:
        pytest.skip(FIRESTORE_SKIP)
    port = emulators.free_port()
    emulator = emulators.start(
        "firestore",
        [*command, "--host=127.0.0.1", f"--port={port}"],
        port=port,
        ready=emulators.http_ok(f"http://127.0.0.1:{port}/"),
        log_dir=tmp_path_factory.mktemp("firestore"),
    )
    try:
        yield emulator.host
    finally:
        emulator.stop()


@pytest.fixture(scope="session")
def storage_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a gcp-storage-emulator (in memory)."""
    program = emulators.storage_emulator_path()
    if program is None:
        pytest.skip("gcp-storage-emulator is not installed (pip install -e '.[dev]')")
    port = emulators.free_port()
    emulator = emulators.start(
        "gcs",
        [str(program), "start", "--host", "127.0.0.1", "--port", str(port), "--in-memory", "-q"],
        port=port,
        ready=emulators.http_ok(f"http://127.0.0.1:{port}/"),
        log_dir=tmp_path_factory.mktemp("gcs"),
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        emulator.stop()


@pytest.fixture(scope="session")
def tasks_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """host:port of a gcloud-tasks-emulator (gRPC); queues are created by each test."""
    program = emulators.tasks_emulator_path()
    if not program.is_file():
        pytest.skip(
            f"gcloud-tasks-emulator not found at {program}: install it in its own virtualenv "
            "(python -m venv .venv-emulators && .venv-emulators/bin/pip install "
            "gcloud-tasks-emulator; it pins protobuf<5) or set ADLOOP_TASKS_EMULATOR"
        )
    port = emulators.free_port()
    emulator = emulators.start(
        "cloud-tasks",
        [str(program), "start", "--port", str(port), "--quiet"],
        port=port,
        ready=emulators.tcp_open(port),
        log_dir=tmp_path_factory.mktemp("cloud-tasks"),
    )
    try:
        yield emulator.host
    finally:
        emulator.stop()
