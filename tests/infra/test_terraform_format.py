"""The Terraform files parse and are in ``terraform fmt`` style.

``terraform fmt -check`` runs when a terraform binary is on PATH; the rules below hold either way,
so a machine without terraform still catches a badly formatted file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.infra.terraform_config import TERRAFORM, parse, tf_files

ATTRIBUTE = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_][\w-]*|\"[^\"]+\")(?P<pad> *)= ")
OPENERS = ("{", "[", "(", "<<-EOT", "<<EOT")


def test_there_is_terraform_to_check() -> None:
    assert len(tf_files()) >= 10


@pytest.mark.parametrize("path", tf_files(), ids=lambda p: p.name)
def test_file_parses(path: Path) -> None:
    assert parse(path), f"{path.name} is empty"


@pytest.mark.parametrize("path", tf_files(), ids=lambda p: p.name)
def test_indentation_is_two_spaces_per_level(path: Path) -> None:
    # One level per line that leaves brackets open, however many (`map(object({` is one level),
    # as terraform fmt indents.
    levels: list[int] = []
    heredoc = None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if heredoc:
            heredoc = None if line.strip() == heredoc else heredoc
            continue
        assert "\t" not in line, f"{path.name}:{number}: tab"
        assert line == line.rstrip(), f"{path.name}:{number}: trailing whitespace"
        code = _code(line.strip())
        if not line.strip():
            continue
        opened, unmatched = _brackets(code)
        # A line that starts by closing brackets sits at the level of the line that opened them.
        leading = unmatched if code[:1] in ("}", "]", ")") else 0
        expected = 2 * len(_close(list(levels), leading))
        indent = len(line) - len(line.lstrip(" "))
        assert indent == expected, f"{path.name}:{number}: indent {indent}, expected {expected}"
        levels = _close(levels, unmatched)
        if opened:
            levels.append(opened)
        if match := re.search(r"<<-?(\w+)$", code):
            heredoc = match.group(1)
    assert not levels, f"{path.name}: unbalanced brackets"


def _brackets(code: str) -> tuple[int, int]:
    """(brackets left open at the end of the line, closers of brackets from earlier lines)."""
    opened = unmatched = 0
    for char in code:
        if char in "{[(":
            opened += 1
        elif char in "}])":
            if opened:
                opened -= 1
            else:
                unmatched += 1
    return opened, unmatched


def _close(levels: list[int], brackets: int) -> list[int]:
    for _ in range(brackets):
        assert levels, "more closing brackets than opening ones"
        levels[-1] -= 1
        if levels[-1] == 0:
            levels.pop()
    return levels


@pytest.mark.parametrize("path", tf_files(), ids=lambda p: p.name)
def test_equals_signs_align_within_each_run_of_attributes(path: Path) -> None:
    for run in _attribute_runs(path.read_text().splitlines()):
        columns = {
            number: len(m.group("indent")) + len(m.group("key")) + len(m.group("pad"))
            for number, m in run
        }
        widest = max(len(m.group("indent")) + len(m.group("key")) + 1 for _, m in run)
        bad = [n for n, column in columns.items() if column != widest]
        assert not bad, f"{path.name}: '=' not aligned at lines {bad} (want column {widest})"


@pytest.mark.parametrize("path", tf_files(), ids=lambda p: p.name)
def test_file_ends_with_one_newline(path: Path) -> None:
    text = path.read_text()
    assert text.endswith("\n") and not text.endswith("\n\n"), path.name


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary on PATH")
def test_terraform_fmt_check() -> None:
    done = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-diff"],
        cwd=TERRAFORM,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _code(line: str) -> str:
    """The line without its string literals and comments, for bracket counting."""
    if line.startswith(("#", "//")):
        return ""
    line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
    return re.split(r"\s(#|//)", line, maxsplit=1)[0]


def _attribute_runs(lines: list[str]) -> list[list[tuple[int, re.Match[str]]]]:
    """Consecutive single-line attributes at one indent, as terraform fmt aligns them: a blank
    line, a comment, a block or a multi-line value ends a run."""
    runs: list[list[tuple[int, re.Match[str]]]] = []
    run: list[tuple[int, re.Match[str]]] = []
    for number, line in enumerate(lines, 1):
        match = ATTRIBUTE.match(line)
        single = match is not None and not _code(line.strip()).endswith(OPENERS)
        same_level = not run or (
            match is not None and match.group("indent") == run[0][1].group("indent")
        )
        if single and same_level and match is not None:
            run.append((number, match))
            continue
        if len(run) > 1:
            runs.append(run)
        run = [(number, match)] if single and match is not None else []
    if len(run) > 1:
        runs.append(run)
    return runs
