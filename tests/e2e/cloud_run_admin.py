"""The Cloud Run Admin API (v2, REST) for the render job, running each execution as a local
process with exactly the container terraform declares: its env, then the run's overrides.

Shapes from the API reference: ``POST /v2/{name=projects/*/locations/*/jobs/*}:run`` takes a
``RunJobRequest`` (``overrides.containerOverrides[].args`` replace the container's args,
``.env`` is merged over its env) and answers a long-running ``Operation`` whose ``metadata`` is
the new ``Execution``; ``GET /v2/{name=projects/*/locations/*/jobs/*/executions/*}`` answers the
``Execution`` with ``taskCount``, ``succeededCount``, ``failedCount``, ``completionTime`` and a
``Completed`` condition (https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.jobs/run,
https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.jobs.executions#Execution).
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RUN = re.compile(r"^/v2/(projects/[^/]+/locations/[^/]+/jobs/([^/:]+)):run$")
EXECUTION = re.compile(r"^/v2/(projects/[^/]+/locations/[^/]+/jobs/[^/]+/executions/[^/]+)$")


@dataclass
class Execution:
    name: str
    job: str
    args: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path
    created: str = field(default_factory=lambda: _now())
    completed: str | None = None

    def wire(self) -> dict[str, Any]:
        code = self.process.poll()
        out: dict[str, Any] = {
            "name": self.name,
            "job": self.job,
            "createTime": self.created,
            "taskCount": 1,
            "parallelism": 1,
            "logUri": self.log.as_uri(),
        }
        if code is None:
            out["runningCount"] = 1
            out["conditions"] = [{"type": "Completed", "state": "CONDITION_PENDING"}]
            return out
        self.completed = self.completed or _now()
        out["completionTime"] = self.completed
        if code == 0:
            out["succeededCount"] = 1
            out["conditions"] = [{"type": "Completed", "state": "CONDITION_SUCCEEDED"}]
        else:
            tail = self.log.read_text(errors="replace")[-300:].strip()
            out["failedCount"] = 1
            out["conditions"] = [
                {
                    "type": "Completed",
                    "state": "CONDITION_FAILED",
                    "message": f"Task {self.name}-0 failed with exit code {code}: {tail}",
                }
            ]
        return out


class CloudRunAdmin:
    """Serves the two calls adloop's job runner makes, for the jobs named in ``jobs``
    (job name -> the container's env as terraform declares it)."""

    def __init__(
        self,
        jobs: Mapping[str, Mapping[str, str]],
        *,
        base_env: Mapping[str, str],
        log_dir: Path,
        command: Sequence[str] = (sys.executable, "-m", "gpu_jobs"),
        cwd: Path | None = None,
    ) -> None:
        self.jobs = {name: dict(env) for name, env in jobs.items()}
        self.base_env = dict(base_env)
        self.log_dir = log_dir
        self.command = list(command)
        self.cwd = cwd
        self.executions: dict[str, Execution] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> CloudRunAdmin:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        for execution in self.executions.values():
            if execution.process.poll() is None:
                execution.process.kill()
                execution.process.wait()

    def run(self, job_path: str, job: str, request: Mapping[str, Any]) -> tuple[int, Any]:
        if job not in self.jobs:
            return 404, _error(404, f"Resource '{job_path}' was not found", "NOT_FOUND")
        overrides = (request.get("overrides") or {}).get("containerOverrides") or [{}]
        override = overrides[0]
        env = {**self.base_env, **self.jobs[job]}
        env.update({e["name"]: e.get("value", "") for e in override.get("env") or []})
        args = [str(a) for a in override.get("args") or []]
        with self._lock:
            name = f"{job_path}/executions/{job}-{next(self._ids):05d}"
            log = self.log_dir / f"{name.rsplit('/', 1)[-1]}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [*self.command, *args], env=env, cwd=self.cwd, stdout=out, stderr=out
                )
            execution = Execution(name, job, args, env, process, log)
            self.executions[name] = execution
        operation = {
            "name": name.replace(f"jobs/{job}/executions", "operations"),
            "metadata": {"@type": "type.googleapis.com/google.cloud.run.v2.Execution"}
            | execution.wire(),
            "done": False,
        }
        return 200, operation

    def get(self, name: str) -> tuple[int, Any]:
        execution = self.executions.get(name)
        if execution is None:
            return 404, _error(404, f"Resource '{name}' was not found", "NOT_FOUND")
        return 200, execution.wire()


def _handler(admin: CloudRunAdmin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            path = self.path.split("?", 1)[0]
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            match = RUN.match(path)
            if match is None:
                self._reply(404, _error(404, f"no method at {path}", "NOT_FOUND"))
                return
            request = json.loads(body or b"{}")
            self._reply(*admin.run(match[1], match[2], request))

        def do_GET(self) -> None:
            match = EXECUTION.match(self.path.split("?", 1)[0])
            if match is None:
                self._reply(404, _error(404, f"no method at {self.path}", "NOT_FOUND"))
                return
            self._reply(*admin.get(match[1]))

        def _reply(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _error(code: int, message: str, status: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat().replace("+00:00", "Z")
