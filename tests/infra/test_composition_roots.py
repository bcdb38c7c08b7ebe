"""One composition root per deployable, read from the source with ``ast``: clients are built only
in ``shared/bootstrap.py`` (functions, bot, local runtime) and ``gpu_jobs/bootstrap.py`` (the
render job); the environment is read only by the settings objects; the render job's adapters
do not import the root that builds them."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.infra.code_facts import APP_PACKAGES, REPO

ROOTS = {"shared/bootstrap.py", "gpu_jobs/bootstrap.py"}
SETTINGS = {"shared/settings.py", "gpu_jobs/settings.py"}
# A child process is given this process's environment plus the job's overrides: passed on, not
# read as settings.
PASSES_THE_ENVIRONMENT_ON = {"shared/adapters/subprocess_jobs.py"}
# Classes that open a connection to an outside system, or hold a provider's key.
CLIENTS = {
    "SlackChat",
    "WebClient",
    "web_client",
    "MetaInsightsClient",
    "ClaudeGenerator",
    "GeminiGenerator",
    "FirestoreDocuments",
    "GcsBlobs",
    "CloudTasksQueue",
    "CloudRunJobRunner",
    "ElevenLabsVoice",
    "GoogleTtsVoice",
    "RunwayVideoGen",
    "VeoVideoGen",
}
# Where a client may be built besides a root: inside its own adapter (a helper building the
# SDK client it wraps).
OWN_MODULE = {
    "web_client": "shared/adapters/slack_web.py",
    "WebClient": "shared/adapters/slack_web.py",
}


def _sources() -> list[tuple[str, ast.Module]]:
    found = []
    for package in APP_PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            found.append((str(path.relative_to(REPO)), ast.parse(path.read_text(), str(path))))
    return found


def _called(call: ast.Call) -> str:
    func = call.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def test_clients_are_built_only_in_a_composition_root() -> None:
    built = [
        f"{name}:{node.lineno} builds {_called(node)}"
        for name, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _called(node) in CLIENTS
        and name not in ROOTS
        and OWN_MODULE.get(_called(node)) != name
    ]
    assert not built, (
        "build clients in shared/bootstrap.py or gpu_jobs/bootstrap.py:\n" + "\n".join(built)
    )


def test_only_the_settings_objects_read_the_environment() -> None:
    reads = []
    for name, tree in _sources():
        if name in SETTINGS | PASSES_THE_ENVIRONMENT_ON:
            continue
        for node in ast.walk(tree):
            environ = isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
            imported = (
                isinstance(node, ast.ImportFrom)
                and node.module == "os"
                and any(alias.name in ("environ", "getenv") for alias in node.names)
            )
            if environ or imported:
                reads.append(f"{name}:{node.lineno}")
    assert not reads, (
        "read settings through shared/settings.py or gpu_jobs/settings.py:\n" + "\n".join(reads)
    )


def test_the_render_jobs_adapters_do_not_import_its_root() -> None:
    importers = []
    for name, tree in _sources():
        if not name.startswith("gpu_jobs/") or name in ("gpu_jobs/__main__.py", "gpu_jobs/cli.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "gpu_jobs.bootstrap":
                importers.append(name)
    assert not importers, f"{importers} import gpu_jobs.bootstrap, which imports them: a cycle"
    assert not (REPO / "gpu_jobs" / "providers.py").exists()


def test_the_guard_sees_what_it_guards() -> None:
    """The checks above would pass vacuously if they read nothing: the roots do build clients and
    the settings objects are where the variables are named."""
    sources = dict(_sources())
    root_calls = {
        _called(n) for n in ast.walk(sources["gpu_jobs/bootstrap.py"]) if isinstance(n, ast.Call)
    }
    assert {"ElevenLabsVoice", "RunwayVideoGen", "VeoVideoGen", "GcsBlobs"} <= root_calls
    shared_calls = {
        _called(n) for n in ast.walk(sources["shared/bootstrap.py"]) if isinstance(n, ast.Call)
    }
    assert {"SlackChat", "MetaInsightsClient", "GcsBlobs"} <= shared_calls
    assert (
        Path(REPO / "shared" / "adapters" / "subprocess_jobs.py").read_text().count("os.environ")
        == 1
    )
