"""cloudbuild.yaml refers only to things that exist: builder images that are well-formed
registry names, files and folders in the repository, steps it waits for, images it built, and
Terraform variables that are declared."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest
import yaml

from tests.infra.terraform_config import REPO, load

CLOUDBUILD = REPO / "cloudbuild.yaml"
# gcr.io/<project>/<name>[:tag], <region>-docker.pkg.dev/..., or docker.io/<owner>/<name>:tag.
IMAGE = re.compile(
    r"^(?:(?:[a-z0-9-]+\.)?gcr\.io|[a-z0-9-]+-docker\.pkg\.dev|docker\.io)"
    r"(?:/[a-z0-9][a-z0-9._-]*)+(?::[A-Za-z0-9._-]+)?$"
)
# Repository paths a step names: a top-level folder of the repo followed by a path.
REPO_PATH = re.compile(
    r"(?<![\w./$-])((?:gpu_jobs|infra|terraform|scripts|shared|functions|bot|tests)/[\w./-]*\w)"
)


@pytest.fixture(scope="module")
def build() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(CLOUDBUILD.read_text())
    return loaded


def steps(build: dict[str, Any]) -> list[dict[str, Any]]:
    return list(build["steps"])


def step_text(step: dict[str, Any]) -> str:
    return "\n".join(str(a) for a in step.get("args", [])) + "\n" + str(step.get("entrypoint", ""))


def test_every_builder_is_a_well_formed_image(build: dict[str, Any]) -> None:
    for step in steps(build):
        assert IMAGE.match(step["name"]), f"step {step['id']}: builder {step['name']!r}"


def test_images_run_inside_steps_are_well_formed(build: dict[str, Any]) -> None:
    for step in steps(build):
        args = [str(a) for a in step.get("args", [])]
        if args[:1] == ["run"]:
            image = next(a for a in args[1:] if not a.startswith("-"))
            assert IMAGE.match(image), f"step {step['id']} runs {image!r}"


def test_every_repository_path_a_step_names_exists(build: dict[str, Any]) -> None:
    seen = set()
    for step in steps(build):
        if "dir" in step:
            assert (REPO / step["dir"]).is_dir(), f"step {step['id']}: dir {step['dir']}"
        for path in REPO_PATH.findall(step_text(step)):
            seen.add(path)
            assert (REPO / path).exists(), f"step {step['id']} names {path}, which does not exist"
    assert {"gpu_jobs/Dockerfile", "infra/Dockerfile.functions"} <= seen


def test_dockerfiles_copy_only_what_exists() -> None:
    for dockerfile in (REPO / "gpu_jobs" / "Dockerfile", REPO / "infra" / "Dockerfile.functions"):
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY") and "--from=" not in line:
                for source in line.split()[1:-1]:
                    assert (REPO / source).exists(), f"{dockerfile.name} copies missing {source}"


def test_packaged_function_source_has_every_package_main_imports(build: dict[str, Any]) -> None:
    package = next(s for s in steps(build) if s["id"] == "package-functions")
    main = (REPO / "functions" / "main.py").read_text()
    # The project's own packages; the standard library and flask come with the runtime.
    imported = set(re.findall(r"^\s*from (\w+)[.\w]* import", main, re.M))
    imported -= set(sys.stdlib_module_names) | {"__future__", "flask"}
    assert imported, "functions/main.py imports none of the project's packages?"
    for name in imported:
        assert f'"{name}"' in step_text(package), f"function source zip lacks the {name} package"


def test_steps_wait_only_for_earlier_steps(build: dict[str, Any]) -> None:
    earlier: set[str] = set()
    for step in steps(build):
        for needed in step.get("waitFor", []):
            assert needed == "-" or needed in earlier, f"step {step['id']} waits for {needed!r}"
        earlier.add(step["id"])


def test_pushed_images_are_the_built_ones(build: dict[str, Any]) -> None:
    built = set()
    pushed = set()
    for step in steps(build):
        text = step_text(step)
        args = [str(a) for a in step.get("args", [])]
        if args[:1] == ["build"]:
            built.add(args[args.index("-t") + 1])
        pushed |= set(re.findall(r"docker push (\S+)", text))
    assert pushed and pushed == built


def test_tests_run_with_the_firestore_emulator(build: dict[str, Any]) -> None:
    by_id = {s["id"]: s for s in steps(build)}
    emulator = " ".join(str(a) for a in by_id["firestore-emulator"]["args"])
    assert "gcloud emulators firestore start" in emulator
    host = emulator.rsplit("--host-port=", 1)[1].split(":")[1]
    env = dict(e.split("=", 1) for e in by_id["test"]["env"])
    assert env["FIRESTORE_EMULATOR_HOST"] == f"firestore-emulator:{host}"
    assert "firestore-emulator" in by_id["test"]["waitFor"]


def test_terraform_is_only_applied_when_asked(build: dict[str, Any]) -> None:
    by_id = {s["id"]: s for s in steps(build)}
    apply = step_text(by_id["terraform-apply"])
    assert '"${_APPLY}" = "true"' in apply and "terraform apply" in apply
    assert build["substitutions"]["_APPLY"] == "false"
    assert "terraform apply" not in step_text(by_id["terraform-plan"])


def test_terraform_variables_passed_are_declared(build: dict[str, Any]) -> None:
    declared = set(load().variables)
    text = "\n".join(step_text(s) for s in steps(build))
    passed = set(re.findall(r'-var="?(\w+)=', text))
    assert {"project", "region", "slack_channel"} <= passed
    assert passed <= declared, f"undeclared: {sorted(passed - declared)}"
    required = {name for name, v in load().variables.items() if "default" not in v}
    assert required <= passed, f"plan would prompt for {sorted(required - passed)}"


def test_substitutions_used_are_defined(build: dict[str, Any]) -> None:
    builtin = {"PROJECT_ID", "BUILD_ID", "SHORT_SHA", "COMMIT_SHA", "REPO_NAME", "BRANCH_NAME"}
    text = CLOUDBUILD.read_text()
    used = set(re.findall(r"(?<!\$)\$\{?(_[A-Z0-9_]+|[A-Z][A-Z0-9_]+)\}?", text))
    assert used <= builtin | set(build["substitutions"]), sorted(
        used - builtin - set(build["substitutions"])
    )


def test_dockerignore_keeps_source_in() -> None:
    ignored = {line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()}
    for needed in (
        "shared",
        "gpu_jobs",
        "functions",
        "bot",
        "infra",
        "pyproject.toml",
        "constraints.txt",
    ):
        assert needed not in ignored
    assert ".venv" in ignored and ".git" in ignored
