"""Score adloop's copy checks on the labelled compliance corpus and time ``adloop lint-copy``.

    .venv/bin/python bench/compliance.py [--split dev|heldout|all] [--language en|es] [--show]
                                         [--external FILE.jsonl] [--limit N] [--speed-lines N]

Every line of bench/compliance/*.jsonl (format: bench/compliance/README.md) goes through the
real lint-copy code (``shared.platforms.lint_copy.lint_lines``). Per split and language it
prints, per rule: violating texts, recall (share with any policy finding), the share flagged
under their own rule, clean texts and the false-positive rate (share with any policy finding);
then overall. Platform-limit and language findings are lint-copy's too, but not policy checks:
they are counted apart ("a TikTok text past 100 characters" is not a false positive of a rule).
``--external`` scores an outside set of the same format instead of the corpus. Last, the speed
figure: 10,000 lines built from the corpus through the installed ``adloop lint-copy -``
(a subprocess, the real CLI, pinned to two cores), wall time against the 10 s goal.

A benchmark prints; tests assert. It exits 0 unless it cannot run (2: a corpus line it cannot
read, with the file, line and what to fix).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.platforms.lint_copy import lint_lines  # noqa: E402

CORPUS = ROOT / "bench" / "compliance"
RULES = (
    "personal_attributes",
    "health_claim",
    "weight_loss",
    "income_claim",
    "before_after",
    "guaranteed_results",
    "misleading_urgency",
    "restricted_category",
    "sensational_language",
    "unsubstantiated_superlative",
    "excessive_caps",
    "excessive_punctuation",
)
FIELDS = ("id", "language", "platform", "text", "label", "rule", "split")
LABELS = ("violation", "clean")
SPLITS = ("dev", "heldout")
RECALL_GOAL, FP_GOAL = 0.95, 0.05  # issue 17: per language, on the held-out split
SPEED_LINES, SPEED_GOAL_S = 10_000, 10.0  # issue 17: 10,000 lines in under 10 s on two cores


class CorpusError(Exception):
    """A corpus line that cannot be scored; the message names the file, line and the fix."""


@dataclass(frozen=True)
class Line:
    id: str
    language: str
    platform: str
    text: str
    label: str
    rule: str
    split: str
    category: str | None = None

    def lint_input(self) -> str:
        """The line as lint-copy reads it (the label, rule and split stay out of its sight)."""
        data = {
            "id": self.id,
            "text": self.text,
            "platform": self.platform,
            "language": self.language,
        }
        if self.category:
            data["category"] = self.category
        return json.dumps(data, ensure_ascii=False)


def load(paths: Iterable[Path]) -> list[Line]:
    """Every line of ``paths``, checked: the fields, a known label and rule, ids unique."""
    lines: list[Line] = []
    seen: set[str] = set()
    for path in paths:
        for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if raw.strip():
                line = _parse(raw, f"{path}:{number}")
                if line.id in seen:
                    raise CorpusError(f"{path}:{number}: id {line.id!r} is used twice; rename one")
                seen.add(line.id)
                lines.append(line)
    return lines


def _parse(raw: str, where: str) -> Line:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise CorpusError(f"{where}: not JSON ({e})") from e
    if not isinstance(data, dict):
        raise CorpusError(f"{where}: expected a JSON object")
    missing = [f for f in FIELDS if not isinstance(data.get(f), str) or not data[f]]
    if missing:
        raise CorpusError(f"{where}: missing or empty {', '.join(missing)} (see README.md)")
    if data["label"] not in LABELS:
        raise CorpusError(f"{where}: label {data['label']!r} is not one of {', '.join(LABELS)}")
    if data["rule"] not in RULES:
        raise CorpusError(f"{where}: rule {data['rule']!r} is not one of the rule ids")
    if data["split"] not in SPLITS:
        raise CorpusError(f"{where}: split {data['split']!r} is not one of {', '.join(SPLITS)}")
    return Line(**{f: data[f] for f in FIELDS}, category=data.get("category") or None)


def verdicts(lines: list[Line]) -> dict[str, list[dict[str, Any]]]:
    """Each line's findings from the real lint-copy code, by id."""
    found = lint_lines(line.lint_input() for line in lines)
    return {line.id: verdict["findings"] for line, verdict in zip(lines, found, strict=True)}


@dataclass
class Tally:
    violations: int = 0
    caught: int = 0  # violations with any finding
    own_rule: int = 0  # violations with a finding under their own rule
    clean: int = 0
    flagged: int = 0  # clean texts with any policy finding
    other: int = 0  # texts with a platform-limit or language finding

    def add(self, line: Line, findings: list[dict[str, Any]]) -> None:
        # Only policy findings count: a platform-limit error (a TikTok text past 100 characters)
        # or a language finding is lint-copy's too, but says nothing of the policy checks.
        policy = [f for f in findings if f["rule"] in RULES]
        if line.label == "violation":
            self.violations += 1
            self.caught += bool(policy)
            self.own_rule += any(f["rule"] == line.rule for f in policy)
        else:
            self.clean += 1
            self.flagged += bool(policy)
        self.other += len(findings) > len(policy)

    def row(self, name: str) -> str:
        return (
            f"{name:<28} {self.violations:>5} {_ratio(self.caught, self.violations):>7}"
            f" {_ratio(self.own_rule, self.violations):>8} {self.clean:>6}"
            f" {_ratio(self.flagged, self.clean):>7}"
        )


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def table(title: str, lines: list[Line], findings: dict[str, list[dict[str, Any]]]) -> Tally:
    """Print one table (per rule, then overall) and return the overall tally."""
    by_rule = {rule: Tally() for rule in RULES}
    overall = Tally()
    for line in lines:
        by_rule[line.rule].add(line, findings[line.id])
        overall.add(line, findings[line.id])
    print(f"\n== {title}: {len(lines)} texts")
    print(f"{'rule':<28} {'viol':>5} {'recall':>7} {'own-rule':>8} {'clean':>6} {'FP rate':>7}")
    for rule, tally in by_rule.items():
        if tally.violations or tally.clean:
            print(tally.row(rule))
    print(overall.row("overall"))
    if overall.other:
        print(
            f"(not counted above: {overall.other} texts with a platform-limit or language finding)"
        )
    return overall


def show(lines: list[Line], findings: dict[str, list[dict[str, Any]]]) -> None:
    """The missed violations and the false positives, with what was found."""

    def policy(line: Line) -> bool:
        return any(f["rule"] in RULES for f in findings[line.id])

    missed = [line for line in lines if line.label == "violation" and not policy(line)]
    false = [line for line in lines if line.label == "clean" and policy(line)]
    for heading, group in (("missed violations", missed), ("false positives", false)):
        print(f"-- {heading}: {len(group)}")
        for line in group:
            found = "; ".join(f"{f['rule']}: {f['span']!r}" for f in findings[line.id])
            print(
                f"  {line.id} [{line.platform}] {line.text}"
                + (f"\n      -> {found}" if found else "")
            )


def score(lines: list[Line], splits: tuple[str, ...], detail: bool) -> None:
    """A table per split and language, and per split over all languages when there are several."""
    findings = verdicts(lines)
    for split in splits:
        in_split = [line for line in lines if line.split == split]
        languages = sorted({line.language for line in in_split})
        for lang in languages:
            group = [line for line in in_split if line.language == lang]
            overall = table(f"{split}, {lang}", group, findings)
            recall = overall.caught / overall.violations if overall.violations else 0.0
            fp = overall.flagged / overall.clean if overall.clean else 0.0
            verdict = "meets" if recall >= RECALL_GOAL and fp <= FP_GOAL else "misses"
            print(f"goal: recall >= {RECALL_GOAL}, FP rate <= {FP_GOAL} per language: {verdict}")
            if detail:
                show(group, findings)
        if len(languages) > 1:
            table(f"{split}, all languages", in_split, findings)


def speed(lines: list[Line], count: int) -> None:
    """``count`` distinct lines made from the corpus through the installed CLI, timed on two
    cores, without and with ``--brief`` (claim grounding)."""
    cli = shutil.which("adloop", path=str(Path(sys.executable).parent)) or shutil.which("adloop")
    if cli is None:
        print("\nspeed: no installed 'adloop' command found (pip install -e .); not measured")
        return
    body = "".join(
        json.dumps(
            {**json.loads(lines[i % len(lines)].lint_input()), "id": f"speed-{i}"}
            | _distinct(lines[i % len(lines)], i // len(lines))
        )
        + "\n"
        for i in range(count)
    )
    if (os.cpu_count() or 1) > 2:
        os.sched_setaffinity(0, {0, 1})  # the target machine has two cores; the child inherits
    # The installed script imports adloop from wherever it was installed; this checkout first.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    brief = ROOT / "examples" / "glowdrop-serum.yaml"
    for label, extra in (
        ("", []),
        (f" --brief {brief.relative_to(ROOT)}", ["--brief", str(brief)]),
    ):
        start = time.perf_counter()
        done = subprocess.run(
            [cli, "lint-copy", "-", *extra],
            input=body.encode(),
            capture_output=True,
            env=env,
            check=False,
        )
        seconds = time.perf_counter() - start
        verdict_lines = done.stdout.count(b"\n")
        print(f"\nspeed: {count} distinct lines through `adloop lint-copy -{label}` in", end="")
        print(f" {seconds:.2f} s wall (goal < {SPEED_GOAL_S:.0f} s on two cores;", end="")
        print(f" cores: {len(os.sched_getaffinity(0))})", end="")
        if done.returncode not in (0, 1) or verdict_lines != count:
            tail = done.stderr.decode(errors="replace")[-2000:]
            print(f"\nspeed: exit {done.returncode}, {verdict_lines} verdicts for {count} lines")
            print(tail)
    print()


def _distinct(line: Line, round_: int) -> dict[str, str]:
    """The text of the corpus line's ``round_``-th repeat, made different from the others (a
    repeated text is a cache hit in lint-copy, which would flatter the figure): a reference
    word of letters only, which no rule reads."""
    if round_ == 0:
        return {}
    letters = ""
    while round_:
        round_, digit = divmod(round_ - 1, 26)
        letters = chr(ord("a") + digit) + letters
    text = json.loads(line.lint_input())["text"]
    return {"text": f"{text} Ref {letters}{letters}x."}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--language", choices=("en", "es"))
    parser.add_argument("--show", action="store_true", help="list misses and false positives")
    parser.add_argument("--external", type=Path, help="score this JSONL file instead")
    parser.add_argument("--limit", type=int, help="score only the first N lines of each file")
    parser.add_argument("--speed-lines", type=int, default=SPEED_LINES, help="0 skips the timing")
    args = parser.parse_args(argv)
    paths = [args.external] if args.external else sorted(CORPUS.glob("*.jsonl"))
    try:
        lines = [line for path in paths for line in load([path])[: args.limit]]
        load(paths)  # ids unique across the files as well
    except (OSError, CorpusError) as e:
        print(f"compliance: {e}", file=sys.stderr)
        return 2
    lines = [line for line in lines if args.language in (None, line.language)]
    if not lines:
        print(f"compliance: no lines in {', '.join(map(str, paths)) or CORPUS}", file=sys.stderr)
        return 2
    print(f"corpus: {len(lines)} lines from {', '.join(p.name for p in paths)}")
    splits = SPLITS if args.split == "all" else (args.split,)
    score(lines, splits, args.show)
    if args.speed_lines > 0:
        speed(lines, args.speed_lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
