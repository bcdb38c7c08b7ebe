"""A local Google Cloud shaped like the deployment: every function terraform deploys, in its own
functions-framework process with the environment terraform gives it, behind a front door that
checks callers as Cloud Run does; Firestore and GCS emulators; Cloud Tasks with the queues,
retry policy and OIDC identity of terraform/queues.tf; the Cloud Run Admin API running the
render job as terraform declares it; and a fake Slack Web API.

Everything terraform decides comes from tests/infra/deployment.py, which reads terraform/, so
when the two drift the end-to-end tests fail. What only exists here (the emulators' addresses) is
given through settings the product already has for that, never a test-only code path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from tests.contract import emulators
from tests.e2e.cloud_run_admin import CloudRunAdmin
from tests.e2e.front_door import FrontDoor, Route
from tests.e2e.oidc import Issuer
from tests.fakes.http_server import Answer
from tests.fakes.model_brain import answer
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.vertex_api import FakeVertexAPI, prompt_of
from tests.infra.deployment import Deployment, deployment

REPO = Path(__file__).resolve().parents[2]
PROJECT = "adloop-local"
REGION = "us-central1"
BUCKET = "adloop-local-assets"

# Values of the Secret Manager secrets the functions mount (terraform/secrets.tf).
SECRETS = {
    "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
    "SLACK_BOT_TOKEN": "xoxb-local-cloud",
    "SLACK_APP_TOKEN": "xapp-local-cloud",
    "META_APP_SECRET": "meta-app-secret-local",
    "META_VERIFY_TOKEN": "meta-verify-local",
    "META_ACCESS_TOKEN": "meta-access-local",
    "TIKTOK_CLIENT_SECRET": "tiktok-secret-local",
    "GOOGLE_ADS_WEBHOOK_SECRET": "google-ads-secret-local",
    "ANTHROPIC_API_KEY": "sk-ant-local",
    "ADLOOP_TASK_TOKEN": "local-task-token",
}
# Terraform variables without a default: the Slack channel campaigns started outside Slack go to.
OPS_CHANNEL = "C0OPERATIONS"
REQUIRED_VARIABLES = {"slack_channel": OPS_CHANNEL}
# What a process needs from the machine, not from terraform.
MACHINE_ENV = ("PATH", "HOME", "LANG", "TMPDIR", "LD_LIBRARY_PATH")


class LocalCloudUnavailable(RuntimeError):
    """An emulator this cloud needs is not installed; the message says how to install it."""


@dataclass
class LocalCloud:
    deployment: Deployment
    issuer: Issuer
    front_door: FrontDoor
    run_admin: CloudRunAdmin
    slack: FakeSlackAPI
    vertex: FakeVertexAPI
    firestore_host: str
    storage_url: str
    tasks_host: str
    logs: Path
    functions: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.front_door.url

    @property
    def invoker(self) -> str:
        """The identity Cloud Tasks names in each task's OIDC token."""
        return self.deployment.functions["intake"].env["ADLOOP_TASKS_SERVICE_ACCOUNT"]

    def url(self, function: str) -> str:
        return f"{self.base_url}/{self.deployment.functions[function].service}"

    def emulator_env(self) -> dict[str, str]:
        """Where each Google client and Slack are, for any process of this cloud."""
        return {
            "FIRESTORE_EMULATOR_HOST": self.firestore_host,
            "STORAGE_EMULATOR_HOST": self.storage_url,
            "ADLOOP_TASKS_EMULATOR_HOST": self.tasks_host,
            "ADLOOP_RUN_API_ENDPOINT": self.run_admin.url,
            "ADLOOP_OIDC_CERTS_URL": self.front_door.certs_url,
            "SLACK_API_URL": self.slack.api_url,
            "ADLOOP_VERTEX_API_ENDPOINT": self.vertex.url,
        }

    def operator_env(self) -> dict[str, str]:
        """The environment of an operator running the CLI against this deployment: what the
        functions read (terraform's common environment), no secrets."""
        any_step = self.deployment.functions["intake"]
        return {**_machine_env(), **any_step.env, **self.emulator_env()}

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def prerequisites() -> tuple[list[str], Path]:
    """The Firestore emulator's launcher and the Cloud Tasks emulator's Python, or why not."""
    firestore = emulators.firestore_emulator_command()
    if firestore is None:
        raise LocalCloudUnavailable(
            "the Firestore emulator is not installed: install the Google Cloud SDK with Java 17 "
            "and run `gcloud components install cloud-firestore-emulator` (or set "
            "ADLOOP_FIRESTORE_EMULATOR to its launcher)"
        )
    tasks_python = emulators.tasks_emulator_path().with_name("python")
    if not tasks_python.is_file():
        raise LocalCloudUnavailable(
            "gcloud-tasks-emulator is not installed: `make setup` puts it in .venv-emulators"
        )
    return firestore, tasks_python


@contextmanager
def local_cloud(
    logs: Path,
    *,
    variables: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    model_latency_s: float = 0.0,
) -> Iterator[LocalCloud]:
    """Start the whole cloud; stop every part of it on exit, whatever happened.

    ``variables`` override terraform variables; ``env`` is added to every function's environment
    on top of terraform's (benchmarks turn rendering off with it; tests leave it empty)."""
    firestore_command, tasks_python = prerequisites()
    logs.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        issuer = Issuer.generate()
        issuer.save(logs / "issuer")
        firestore = _start(
            stack,
            "firestore",
            firestore_command,
            logs,
            lambda p: ["--host=127.0.0.1", f"--port={p}"],
        )
        storage = _start_storage(stack, logs)
        door = FrontDoor(issuer, {}).start()
        stack.callback(door.stop)
        deployed = deployment(
            {
                "project": PROJECT,
                "region": REGION,
                "bucket": BUCKET,
                "functions_base_url": door.url,
                **REQUIRED_VARIABLES,
                **(variables or {}),
            }
        )
        tasks = _start_tasks(stack, tasks_python, deployed, logs)
        slack = FakeSlackAPI().start()
        stack.callback(slack.stop)
        vertex = stack.enter_context(gemini(model_latency_s))
        run_admin = CloudRunAdmin(
            {deployed.render_job.name: deployed.render_job.env},
            base_env={},  # filled below, once every address is known
            log_dir=logs,
            cwd=REPO,
        ).start()
        stack.callback(run_admin.stop)
        cloud = LocalCloud(
            deployment=deployed,
            issuer=issuer,
            front_door=door,
            run_admin=run_admin,
            slack=slack,
            vertex=vertex,
            firestore_host=firestore,
            storage_url=storage,
            tasks_host=tasks,
            logs=logs,
        )
        run_admin.base_env = {**_machine_env(), "PYTHONPATH": str(REPO), **cloud.emulator_env()}
        _create_bucket(storage, BUCKET)
        stack.callback(_stop_all, cloud.functions)
        _start_functions(cloud, env or {})
        yield cloud


def gemini(latency_s: float = 0.0) -> FakeVertexAPI:
    """Gemini on Vertex AI (terraform's default provider), answering every step's prompt from
    the brief the way tests/fakes/model_brain does, after ``latency_s``; a context manager."""
    return FakeVertexAPI(responder=lambda r: Answer(answer(prompt_of(r))), latency_s=latency_s)


def _machine_env() -> dict[str, str]:
    return {k: os.environ[k] for k in MACHINE_ENV if k in os.environ}


def _start(stack: ExitStack, name: str, command: list[str], logs: Path, port_args: object) -> str:
    port = emulators.free_port()
    emulator = emulators.start(
        name,
        [*command, *port_args(port)],  # type: ignore[operator]
        port=port,
        ready=emulators.http_ok(f"http://127.0.0.1:{port}/"),
        log_dir=logs,
        timeout_s=60,
    )
    stack.callback(emulator.stop)
    return emulator.host


def _start_storage(stack: ExitStack, logs: Path) -> str:
    program = emulators.storage_emulator_path()
    if program is None:
        raise LocalCloudUnavailable(
            "gcp-storage-emulator is not installed (pip install -e '.[dev]')"
        )
    host = _start(
        stack,
        "gcs",
        [str(program), "start", "--in-memory", "-q"],
        logs,
        lambda p: ["--host", "127.0.0.1", "--port", str(p)],
    )
    return f"http://{host}"


def _create_bucket(storage_url: str, bucket: str) -> None:
    # The JSON API's buckets.insert (https://cloud.google.com/storage/docs/json_api/v1/buckets/insert).
    answer = httpx.post(
        f"{storage_url}/storage/v1/b", params={"project": PROJECT}, json={"name": bucket}
    )
    answer.raise_for_status()


def _start_tasks(stack: ExitStack, python: Path, deployed: Deployment, logs: Path) -> str:
    parent = f"projects/{PROJECT}/locations/{REGION}"
    queues = [{"parent": parent, **asdict(q)} for q in deployed.queues.values()]
    config = logs / "queues.json"
    config.write_text(json.dumps(queues))
    port = emulators.free_port()
    emulator = emulators.start(
        "cloud-tasks",
        [
            str(python),
            "-m",
            "tests.e2e.cloud_tasks",
            f"--port={port}",
            f"--issuer={logs / 'issuer'}",
            f"--queues={config}",
        ],
        port=port,
        ready=emulators.tcp_open(port),
        log_dir=logs,
        timeout_s=60,
    )
    stack.callback(emulator.stop)
    return emulator.host


def _start_functions(cloud: LocalCloud, extra: Mapping[str, str]) -> None:
    """One functions-framework process per deployed function, as Cloud Functions runs them."""
    program = Path(sys.executable).with_name("functions-framework")
    ports: dict[str, int] = {}
    # The OS may hand a port it just gave out again once that probe socket is closed; two
    # functions on one port would answer for each other (one of them never starting).
    taken = {_port_of(address) for address in cloud.emulator_env().values()}
    for name, fn in cloud.deployment.functions.items():
        port = emulators.free_port()
        while port in taken or port in ports.values():
            port = emulators.free_port()
        env = {
            **_machine_env(),
            "PYTHONPATH": str(REPO),
            **fn.env,
            **{key: SECRETS[key] for key in fn.secrets},
            **cloud.emulator_env(),
            **extra,
            # functions-framework's own: one worker, as a Cloud Functions instance has.
            "WORKERS": "1",
        }
        with (cloud.logs / f"{name}.log").open("wb") as out:
            cloud.functions[name] = subprocess.Popen(
                [
                    str(program),
                    "--source=functions/main.py",
                    f"--target={fn.entry_point}",
                    "--host=127.0.0.1",
                    f"--port={port}",
                ],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ports[name] = port
        cloud.front_door.routes[fn.service] = Route(fn.service, port, frozenset(fn.invokers))
    deadline = time.monotonic() + 180
    waiting = dict(ports)
    while waiting:
        for name, port in list(waiting.items()):
            if cloud.functions[name].poll() is not None:
                raise RuntimeError(f"function {name} exited:\n{cloud.log_tail(name)}")
            if emulators.tcp_open(port)():
                del waiting[name]
        if waiting and time.monotonic() > deadline:
            raise RuntimeError(f"functions did not start: {sorted(waiting)}")
        time.sleep(0.1)


def _port_of(address: str) -> int | None:
    """The port of ``host:port`` or ``http://host:port/...``; None when it names none."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(address if "//" in address else f"//{address}").port
    except ValueError:
        return None


def _stop_all(processes: Mapping[str, subprocess.Popen[bytes]]) -> None:
    import signal

    for process in processes.values():
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    """``python -m tests.e2e.cloud``: run the local cloud until Ctrl-C and print how to use it."""
    import signal
    import tempfile

    logs = Path(tempfile.mkdtemp(prefix="adloop-local-cloud-"))
    with local_cloud(logs) as cloud:
        print(f"local cloud up; logs in {logs}")
        print(f"functions behind {cloud.base_url}/<function> (Slack: {cloud.url('slack_events')})")
        print("an operator's environment for `adloop campaign new --brief ... --wait`:")
        for name, value in sorted(cloud.operator_env().items()):
            if name not in MACHINE_ENV:
                print(f"  export {name}={value}")
        # Started in the background (`&`), a shell hands Python SIGINT ignored: take it back, so
        # Ctrl-C and `kill -INT` stop the cloud as they do in the foreground.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("stopping the local cloud")
    return 0


if __name__ == "__main__":
    sys.exit(main())
