"""Property tests for every signature check an outsider can reach: whatever the headers and the
body hold, the answer is a refusal (Unauthorized, Forbidden, 400/401), never another exception,
never a 500, and a refused request writes nothing.

Header values are drawn as an HTTP server hands them over (WSGI decodes header bytes as
latin-1, so ``b"\\xb2"`` arrives as ``"²"``: ``str.isdigit()`` says yes, ``int()`` says no), as any
Python string (lone surrogates included) for the checks called directly, and from a list of the
shapes that broke checks before: superscript digits, thousands of digits, repeated keys.
"""

from __future__ import annotations

import base64
import json
import re
import time
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from slack_sdk.signature import SignatureVerifier

from bot.http import signed
from shared.errors import BadInput, Forbidden, Unauthorized
from shared.platforms.meta import check_meta_signature, meta_challenge
from shared.platforms.webhook import check_timed_signature, sign
from shared.task_endpoint import OidcAuth, SharedTokenAuth
from tests.bot.conftest import SECRET as SLACK_SECRET
from tests.bot.conftest import Bot
from tests.hostile.conftest import state_counts

NOW = 1_800_000_000
SECRET = "a-webhook-secret"

NASTY = [
    "²",
    "¹²³⁴⁵⁶⁷⁸⁹⁰",
    "١٧٠٠٠٠٠٠٠٠",  # Arabic-Indic digits: int() accepts them
    "1" * 5000,  # int() refuses more than 4,300 digits
    "9" * 13,
    "-1700000000",
    " 1700000000",
    "t=²,s=00",
    "t=1,t=2,s=ab",
    "t=1800000000,s=ab,s=cd",
    "sha256=",
    "v0=",
    "v0=é",
    "\udc80",
    "",
    " ",
]
any_text = st.one_of(st.none(), st.text(max_size=120), st.sampled_from(NASTY))
latin1_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=120)
header_value = st.one_of(any_text, latin1_text, st.integers().map(str))
bodies = st.binary(max_size=2048)
fast = settings(max_examples=300, deadline=None)


@fast
@given(body=bodies, header=header_value)
@example(body=b"{}", header="sha256=" + "é" * 64)
def test_meta_signature_check_refuses_anything_unsigned(body: bytes, header: Any) -> None:
    try:
        check_meta_signature(body, header, SECRET)
    except Unauthorized:
        return
    assert header.strip() == "sha256=" + sign(SECRET, body)


@fast
@given(
    body=bodies,
    header=st.one_of(header_value, st.builds("t={},s={}".format, header_value, header_value)),
)
@example(body=b"{}", header="t=²,s=" + "0" * 64)
@example(body=b"{}", header="t=" + "1" * 5000 + ",s=ab")
def test_timed_signature_check_refuses_anything_unsigned(body: bytes, header: Any) -> None:
    try:
        check_timed_signature(body, header, SECRET, NOW, name="TikTok-Signature")
    except Unauthorized:
        return
    raise AssertionError(f"accepted an unsigned delivery: {header!r}")


@fast
@given(
    body=bodies,
    stamp=st.one_of(st.sampled_from(["²", "1" * 5000, "١٧٠٠٠٠٠٠٠٠", "1e9", "0x10"]), st.text()),
)
def test_a_signed_header_whose_timestamp_is_not_ascii_digits_is_refused(
    body: bytes, stamp: str
) -> None:
    # Signed with the right secret (a leaked one, or a bug in the sender): still never a crash.
    assume("," not in stamp and not re.fullmatch(r"[0-9]{1,12}", stamp))
    header = f"t={stamp},s={sign(SECRET, stamp.encode('utf-8', 'surrogatepass') + b'.' + body)}"
    with pytest.raises(Unauthorized):
        check_timed_signature(body, header, SECRET, NOW, name="TikTok-Signature")


@fast
@given(body=bodies, skew=st.integers(-300, 300))
def test_a_correct_timed_signature_passes_for_any_body(body: bytes, skew: int) -> None:
    t = NOW + skew
    header = f"t={t},s={sign(SECRET, f'{t}.'.encode() + body)}"
    check_timed_signature(body, header, SECRET, NOW, name="TikTok-Signature")


@fast
@given(
    params=st.dictionaries(
        st.sampled_from(["hub.mode", "hub.verify_token", "hub.challenge", "x"]),
        header_value.filter(lambda v: v is not None),
    )
)
def test_meta_verification_refuses_any_wrong_token(params: dict[str, str]) -> None:
    try:
        challenge = meta_challenge(params, "verify-me")
    except (Forbidden, BadInput):
        return
    assert params["hub.verify_token"] == "verify-me" and challenge == params["hub.challenge"]


@fast
@given(value=header_value)
@example(value="Bearer ")
@example(value="Bearer")
def test_the_task_token_refuses_anything_else(value: Any) -> None:
    auth = SharedTokenAuth("the-local-token")
    try:
        auth.verify({} if value is None else {"Authorization": value})
    except Unauthorized:
        return
    assert value == "Bearer the-local-token"


claims = st.dictionaries(
    st.sampled_from(["aud", "iss", "exp", "iat", "email", "email_verified", "x"]),
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=40),
        st.sampled_from(["\udc80", "https://accounts.google.com"]),
    ),
)


def _jwt(payload: dict[str, Any], signature: str) -> str:
    segment = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJSUzI1NiJ9.{segment}.{signature}"


@fast
@given(
    value=st.one_of(
        header_value,
        st.builds(_jwt, claims, st.sampled_from(["c2ln", "SIGNATURE_REMOVED_BY_GOOGLE", "é"])).map(
            "Bearer {}".format
        ),
    ),
)
def test_oidc_auth_refuses_any_forged_token(value: Any) -> None:
    auth = OidcAuth("https://tasks.example.com", "tasks@p.iam.gserviceaccount.com")
    with pytest.raises(Unauthorized):
        auth.verify({} if value is None else {"Authorization": value})


@fast
@given(body=bodies, timestamp=header_value, signature=header_value)
@example(body=b"x", timestamp="²", signature="v0=" + "0" * 64)
@example(body=b"x", timestamp=str(NOW), signature="v0=" + "é" * 64)
def test_slack_signature_check_is_false_for_anything_unsigned(
    body: bytes, timestamp: Any, signature: Any
) -> None:
    headers = {
        k: v
        for k, v in (("X-Slack-Request-Timestamp", timestamp), ("X-Slack-Signature", signature))
        if v is not None
    }
    assert signed(body, headers, SLACK_SECRET, NOW) is False


@fast
@given(
    body=st.text(st.characters(exclude_categories=("Cs",)), max_size=500),
    skew=st.integers(-300, 300),
)
def test_a_request_slack_signed_passes_the_check(body: str, skew: int) -> None:
    ts = str(NOW + skew)
    signature = SignatureVerifier(SLACK_SECRET).generate_signature(timestamp=ts, body=body)
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
    assert signed(body.encode(), headers, SLACK_SECRET, NOW) is True


# --- the route itself, over HTTP ------------------------------------------------------------------

# What a client can put in a header: visible ASCII and obs-text (0x80–0xFF), inner spaces.
_VISIBLE = [b for b in range(0x21, 0x100) if b != 0x7F]
wire_value = st.one_of(
    st.lists(st.sampled_from(_VISIBLE + [0x20, 0xB2]), max_size=200).map(bytes).map(bytes.strip),
    st.sampled_from(
        [
            v.encode("latin-1")
            for v in NASTY
            if v.isprintable() and v.strip() and v == v.strip() and all(ord(c) < 256 for c in v)
        ]
    ),
    st.sampled_from([b"\xb2", b"1" * 5000, str(int(time.time())).encode()]),
)
occurrences = st.lists(wire_value, max_size=3)  # missing, once, or repeated


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(bodies, st.sampled_from([b"token=x&command=%2Fadloop&text=help", b"{}"])),
    timestamps=occurrences,
    signatures=occurrences,
    content_type=st.sampled_from([b"application/x-www-form-urlencoded", b"application/json"]),
)
@example(
    body=b"text=help",
    timestamps=[b"\xb2"],
    signatures=[b"v0=" + b"0" * 64],
    content_type=b"application/json",
)
@example(
    body=b"text=help",
    timestamps=[str(int(time.time())).encode()],
    signatures=[b"v0=\xe9" * 20],
    content_type=b"application/json",
)
def test_the_slack_route_answers_400_or_401_to_any_unsigned_request(
    slack_bot: Bot,
    body: bytes,
    timestamps: list[bytes],
    signatures: list[bytes],
    content_type: bytes,
) -> None:
    home = slack_bot.runtime.settings.home_dir
    before = (state_counts(home), slack_bot.runtime.queue.counts())
    headers = [(b"Content-Type", content_type)]
    headers += [(b"X-Slack-Request-Timestamp", v) for v in timestamps]
    headers += [(b"X-Slack-Signature", v) for v in signatures]
    try:
        answer = slack_bot.http.post(
            f"{slack_bot.runtime.url}/slack/events", content=body, headers=headers
        )
    except httpx.LocalProtocolError:
        return  # a header value the client library itself will not send
    assert answer.status_code in (400, 401), (answer.status_code, answer.text[:300])
    assert "Traceback" not in answer.text
    assert (state_counts(home), slack_bot.runtime.queue.counts()) == before
