"""Every signature and timestamp window, and how secrets are compared.

* Slack: 5 minutes either way (Bolt's check, through the real endpoint).
* TikTok and the Google Ads script: 5 minutes either way, HMAC over ``t.body``.
* Meta: HMAC-SHA256 of the body; the verify token for the subscription check.
* Task calls: the local shared token (embedded); OIDC in production.
* Every comparison of a secret-derived value is ``hmac.compare_digest`` (a source scan).
"""

from __future__ import annotations

import ast
import inspect
import re
import time
from pathlib import Path

import pytest

from shared import signing
from shared.errors import Unauthorized
from shared.platforms.meta import check_meta_signature
from shared.platforms.webhook import check_timed_signature, sign
from shared.task_endpoint import OidcAuth, SharedTokenAuth
from tests.bot.conftest import Bot
from tests.conftest import REPO

SOURCE_DIRS = ("shared", "bot", "infra", "functions", "gpu_jobs")
SECRETISH = re.compile(r"secret|signature|token|digest|password|api_key|hmac", re.I)


def _source_files() -> list[Path]:
    return sorted(p for d in SOURCE_DIRS for p in (REPO / d).rglob("*.py"))


def _equality_on_secrets(path: Path, root: Path = REPO) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        if any(isinstance(o, ast.Constant) and o.value is None for o in operands):
            continue
        text = " ".join(ast.unparse(o) for o in operands)
        if SECRETISH.search(text):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_secret_or_signature_is_compared_with_eq() -> None:
    offenders = [hit for path in _source_files() for hit in _equality_on_secrets(path)]
    assert offenders == [], "use hmac.compare_digest:\n" + "\n".join(offenders)


def test_the_scan_would_catch_a_plain_comparison(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def ok(given, expected_signature):\n    return given == expected_signature\n")
    assert len(_equality_on_secrets(bad, tmp_path)) == 1


@pytest.mark.parametrize(
    ("module", "function"),
    [
        ("shared/task_endpoint.py", "SharedTokenAuth.verify"),
        ("shared/task_endpoint.py", "OidcAuth.verify"),
        ("shared/platforms/meta.py", "meta_challenge"),
        ("shared/platforms/meta.py", "check_meta_signature"),
        ("shared/platforms/webhook.py", "check_timed_signature"),
        ("bot/http.py", "signed"),
        ("shared/signing.py", "matches"),
    ],
)
def test_each_verifier_compares_in_constant_time(module: str, function: str) -> None:
    tree = ast.parse((REPO / module).read_text())
    names = function.split(".")
    node: ast.AST = tree
    for name in names:
        node = next(
            n
            for n in ast.walk(node)
            if isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == name
        )
    # Directly, or through shared.signing.matches (bytes, constant time, never raises).
    source = ast.unparse(node)
    assert "hmac.compare_digest" in source or "matches(" in source


def test_the_shared_comparison_is_constant_time_and_on_bytes() -> None:
    source = inspect.getsource(signing.matches)
    assert "hmac.compare_digest(got, want)" in source
    assert signing.matches("sha256=ab", b"sha256=ab") and not signing.matches("²", "2")


# --- timestamp windows -------------------------------------------------------------------------

SECRET = "tiktok-client-secret"
BODY = b'{"data": {"list": []}}'
NOW = 1_800_000_000


def _header(t: int, secret: str = SECRET, body: bytes = BODY) -> str:
    return f"t={t},s={sign(secret, f'{t}.'.encode() + body)}"


@pytest.mark.parametrize("skew", [-300, -1, 0, 1, 300])
def test_timed_signatures_within_five_minutes_pass(skew: int) -> None:
    check_timed_signature(BODY, _header(NOW + skew), SECRET, NOW, name="TikTok-Signature")


@pytest.mark.parametrize("skew", [-301, 301, -86_400, 10**9])
def test_timed_signatures_outside_five_minutes_are_refused_as_replays(skew: int) -> None:
    with pytest.raises(Unauthorized, match="replay"):
        check_timed_signature(BODY, _header(NOW + skew), SECRET, NOW, name="TikTok-Signature")


def test_a_timed_signature_is_bound_to_its_timestamp() -> None:
    # Moving a captured signature to a fresh timestamp breaks it.
    old = _header(NOW - 3600)
    moved = old.replace(f"t={NOW - 3600}", f"t={NOW}")
    with pytest.raises(Unauthorized, match="does not match"):
        check_timed_signature(BODY, moved, SECRET, NOW, name="TikTok-Signature")


def test_meta_signatures_cover_every_byte_of_the_body() -> None:
    good = "sha256=" + sign("app-secret", BODY)
    check_meta_signature(BODY, good, "app-secret")
    for tampered in (BODY + b" ", BODY[:-1], BODY.replace(b"list", b"lisT")):
        with pytest.raises(Unauthorized):
            check_meta_signature(tampered, good, "app-secret")


@pytest.mark.parametrize(("offset", "status"), [(-290, 200), (290, 200), (-310, 401), (310, 401)])
def test_slack_requests_are_accepted_only_within_five_minutes(
    slack_bot: Bot, offset: int, status: int
) -> None:
    body = "token=x&team_id=T0ADLOOP&channel_id=C1&user_id=U1&command=%2Fadloop&text=help"
    answer = slack_bot.send(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) + offset
    )
    assert answer.status_code == status


# --- task endpoint auth ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "bearer t0k3n", "Basic dDBrM24=", "Bearer t0k3", "t0k3n"],
)
def test_the_shared_token_is_the_only_way_in(header: str | None) -> None:
    auth = SharedTokenAuth("t0k3n")
    auth.verify({"Authorization": "Bearer t0k3n"})
    with pytest.raises(Unauthorized):
        auth.verify({} if header is None else {"Authorization": header})


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Token abc", "bearer abc"])
def test_oidc_auth_refuses_requests_without_a_bearer_token(header: str | None) -> None:
    auth = OidcAuth("https://tasks.example.com", "tasks@p.iam.gserviceaccount.com")
    with pytest.raises(Unauthorized, match="OIDC bearer token"):
        auth.verify({} if header is None else {"Authorization": header})


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"])
def test_oidc_auth_refuses_garbage_tokens_without_the_network(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    # Any attempt to reach Google goes to a closed local port instead of the internet.
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    auth = OidcAuth("https://tasks.example.com", "tasks@p.iam.gserviceaccount.com")
    with pytest.raises(Unauthorized):
        auth.verify({"Authorization": f"Bearer {token}"})
