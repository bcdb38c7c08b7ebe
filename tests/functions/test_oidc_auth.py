"""Task and scheduler calls in production: the OIDC token Cloud Tasks and Cloud Scheduler mint,
as it reaches the function behind Cloud Run's invoker check (signature stripped) and as it would
arrive unchecked (signature present, verified in full against the issuer's certificates)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from shared.errors import TransientError, Unauthorized
from shared.task_endpoint import OidcAuth
from tests.e2e.oidc import Issuer, strip_signature
from tests.fakes.http_server import FakeResponse, LoopbackServer, RecordedRequest

AUDIENCE = "https://us-central1-adloop.cloudfunctions.net/intake"
INVOKER = "adloop-invoker@adloop.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    return Issuer.generate()


@pytest.fixture(scope="module")
def certs(issuer: Issuer) -> Iterator[str]:
    def serve(request: RecordedRequest) -> FakeResponse:
        return FakeResponse(200, issuer.certs())

    with LoopbackServer(serve) as server:
        yield f"{server.url}/certs"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_cloud_run_verified_and_stripped_is_accepted(issuer: Issuer) -> None:
    token = strip_signature(issuer.mint(AUDIENCE, INVOKER))
    OidcAuth(AUDIENCE, INVOKER).verify(bearer(token))


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "https://us-central1-adloop.cloudfunctions.net/publish"}, "not for this"),
        ({"email": "someone@adloop.iam.gserviceaccount.com"}, "service account"),
        ({"email": INVOKER.upper()}, "service account"),
        ({"email": None}, "service account"),
        ({"iss": "https://evil.example.com"}, "issued by Google"),
        ({"exp": int(time.time()) - 60}, "expired"),
        ({"exp": None}, "expired"),
        ({"exp": "9999999999"}, "expired"),
        ({"exp": 10**400}, "expired"),
        ({"iat": int(time.time()) + 3600}, "not valid yet"),
        ({"email_verified": None}, "not verified"),
        ({"email_verified": "true"}, "not verified"),
    ],
)
def test_a_stripped_token_still_has_its_claims_checked(
    issuer: Issuer, claims: dict[str, object], reason: str
) -> None:
    token = strip_signature(issuer.mint(AUDIENCE, INVOKER, **claims))
    with pytest.raises(Unauthorized, match=reason):
        OidcAuth(AUDIENCE, INVOKER).verify(bearer(token))


def test_a_token_with_its_signature_is_verified_against_the_certificates(
    issuer: Issuer, certs: str
) -> None:
    OidcAuth(AUDIENCE, INVOKER, certs_url=certs).verify(bearer(issuer.mint(AUDIENCE, INVOKER)))


def test_a_wrong_signature_is_refused(issuer: Issuer, certs: str) -> None:
    forged = Issuer.generate().mint(AUDIENCE, INVOKER)
    # Same key id as the real issuer, so only the signature itself is wrong.
    header, payload, signature = forged.split(".")
    real_header = issuer.mint(AUDIENCE, INVOKER).split(".")[0]
    with pytest.raises(Unauthorized, match="invalid OIDC token"):
        OidcAuth(AUDIENCE, INVOKER, certs_url=certs).verify(
            bearer(f"{real_header}.{payload}.{signature}")
        )
    with pytest.raises(Unauthorized):
        OidcAuth(AUDIENCE, INVOKER, certs_url=certs).verify(bearer(forged))


def test_a_signed_token_whose_claims_were_edited_is_refused(issuer: Issuer, certs: str) -> None:
    import base64
    import json

    header, payload, signature = issuer.mint(AUDIENCE, "someone@x.iam.gserviceaccount.com").split(
        "."
    )
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["email"] = INVOKER
    edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(Unauthorized, match="invalid OIDC token"):
        OidcAuth(AUDIENCE, INVOKER, certs_url=certs).verify(
            bearer(f"{header}.{edited}.{signature}")
        )


def test_unreachable_certificates_are_a_transient_failure(issuer: Issuer) -> None:
    auth = OidcAuth(AUDIENCE, INVOKER, certs_url="http://127.0.0.1:9/certs")
    with pytest.raises(TransientError, match="certificates"):
        auth.verify(bearer(issuer.mint(AUDIENCE, INVOKER)))


@pytest.mark.parametrize(
    "token",
    ["", "a.b", "a.b.c.d", "..", "x.\u00b2.SIGNATURE_REMOVED_BY_GOOGLE", "e30.W10.sig", "e30.e30."],
)
def test_malformed_tokens_are_refused_without_raising_anything_else(token: str) -> None:
    with pytest.raises(Unauthorized):
        OidcAuth(AUDIENCE, INVOKER).verify(bearer(token))


STRANGER = "editor@adloop.iam.gserviceaccount.com"


def test_with_x_serverless_authorization_the_token_cloud_run_checked_is_the_one_trusted(
    issuer: Issuer,
) -> None:
    """Cloud Run checks X-Serverless-Authorization alone when a caller sends it and passes
    Authorization on unverified: a principal Cloud Run admits (an Editor has run.routes.invoke)
    cannot add a hand-made invoker token in Authorization and be taken for the queue."""
    admitted = strip_signature(issuer.mint(AUDIENCE, STRANGER))
    claimed = strip_signature(issuer.mint(AUDIENCE, INVOKER))  # as anyone could write it
    headers = {"X-Serverless-Authorization": f"Bearer {admitted}", **bearer(claimed)}
    with pytest.raises(Unauthorized, match="service account"):
        OidcAuth(AUDIENCE, INVOKER).verify(headers)
    lowercase = {k.lower(): v for k, v in headers.items()}  # a plain dict keeps the case it got
    with pytest.raises(Unauthorized, match="service account"):
        OidcAuth(AUDIENCE, INVOKER).verify(lowercase)


def test_the_invoker_may_call_through_x_serverless_authorization(issuer: Issuer) -> None:
    token = strip_signature(issuer.mint(AUDIENCE, INVOKER))
    app_header = {"Authorization": "Basic dXNlcjpwYXNz"}  # the app's own, passed on as it came
    OidcAuth(AUDIENCE, INVOKER).verify(
        {"X-Serverless-Authorization": f"Bearer {token}", **app_header}
    )
