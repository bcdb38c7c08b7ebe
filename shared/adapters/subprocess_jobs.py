"""Jobs as local subprocesses (the embedded default for Cloud Run Jobs)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

from shared.errors import BadInput, NotFound
from shared.ports.jobs import JobRun

# Job name -> the Python module that is its container's entry point.
JOB_MODULES = {"adloop-render": "gpu_jobs"}


class SubprocessJobRunner:
    """Starts each job as ``python -m <module> <args>`` with the overrides as environment."""

    def __init__(self, log_dir: Path | str, modules: dict[str, str] | None = None) -> None:
        self._log_dir = Path(log_dir)
        self._modules = modules or JOB_MODULES
        self._runs: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def start(self, job: str, *, args: list[str], env: dict[str, str]) -> JobRun:
        module = self._modules.get(job)
        if module is None:
            raise BadInput(f"unknown job {job!r}; known: {', '.join(sorted(self._modules))}")
        run_id = f"{job}-{uuid.uuid4().hex[:12]}"
        self._log_dir.mkdir(parents=True, exist_ok=True)
        log = (self._log_dir / f"{run_id}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        with self._lock:
            self._runs[run_id] = proc
        return JobRun(run_id, "running")

    def status(self, run_id: str) -> JobRun:
        with self._lock:
            proc = self._runs.get(run_id)
        if proc is None:
            raise NotFound(f"no job run {run_id!r}")
        code = proc.poll()
        if code is None:
            return JobRun(run_id, "running")
        if code == 0:
            return JobRun(run_id, "succeeded")
        tail = (self._log_dir / f"{run_id}.log").read_text(errors="replace")[-2000:]
        return JobRun(run_id, "failed", f"exit {code}: {tail}")

    def wait(self, run_id: str, timeout_s: float | None = None) -> JobRun:
        with self._lock:
            proc = self._runs.get(run_id)
        if proc is None:
            raise NotFound(f"no job run {run_id!r}")
        proc.wait(timeout=timeout_s)
        return self.status(run_id)
