"""A local OIDC issuer standing in for Google's: it mints ID tokens the way Cloud Tasks and Cloud
Scheduler do for an HTTP target, and publishes its certificate the way Google does.

The claims are those of a Google-signed ID token for a service account
(https://cloud.google.com/docs/authentication/token-types#id-contents and the token Cloud Tasks
attaches for ``oidc_token``: https://cloud.google.com/tasks/docs/creating-http-target-tasks):
``iss`` https://accounts.google.com, ``aud`` the target URL, ``email`` the service account,
``email_verified`` true, ``sub``/``azp`` its numeric id, ``iat``/``exp`` one hour apart. The
certificate document is ``{key id: PEM certificate}``, the form of
https://www.googleapis.com/oauth2/v1/certs that ``google.oauth2.id_token.verify_token`` reads.

Importable from the Cloud Tasks emulator's own environment too: it needs only google-auth and
cryptography.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt

ISSUER = "https://accounts.google.com"
# Google ID tokens name either form as their issuer (google.oauth2.id_token._GOOGLE_ISSUERS).
# Not imported from shared/: this module also runs in the Cloud Tasks emulator's own venv.
GOOGLE_ISSUERS = frozenset({"accounts.google.com", ISSUER})
# What Cloud Run puts where the signature was, behind its invoker check.
STRIPPED_SIGNATURE = "SIGNATURE_REMOVED_BY_GOOGLE"
TOKEN_LIFETIME_S = 3600


class Issuer:
    """One RSA key and its self-signed certificate."""

    def __init__(self, key_pem: bytes, cert_pem: bytes) -> None:
        self.key_pem = key_pem
        self.cert_pem = cert_pem
        self.key_id = hashlib.sha1(cert_pem).hexdigest()
        self._signer = crypt.RSASigner.from_string(key_pem, self.key_id)

    @classmethod
    def generate(cls) -> Issuer:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "local-cloud-oidc")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .sign(key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls(key_pem, cert.public_bytes(serialization.Encoding.PEM))

    @classmethod
    def load(cls, folder: Path) -> Issuer:
        return cls((folder / "key.pem").read_bytes(), (folder / "cert.pem").read_bytes())

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "key.pem").write_bytes(self.key_pem)
        (folder / "cert.pem").write_bytes(self.cert_pem)

    def certs(self) -> dict[str, str]:
        return {self.key_id: self.cert_pem.decode()}

    def certs_json(self) -> bytes:
        return json.dumps(self.certs()).encode()

    def mint(self, audience: str, account: str, **override: Any) -> str:
        """An ID token for ``account`` with ``audience``; ``override`` changes or drops (None)
        claims, for tests of what a verifier refuses."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": audience,
            "azp": _numeric_id(account),
            "sub": _numeric_id(account),
            "email": account,
            "email_verified": True,
            "iat": now,
            "exp": now + TOKEN_LIFETIME_S,
        }
        for name, value in override.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        token: bytes = jwt.encode(self._signer, claims)
        return token.decode()

    def verify(self, token: str, audience: str) -> dict[str, Any]:
        """The token's claims if this issuer signed it for ``audience``; ValueError otherwise."""
        claims: dict[str, Any] = jwt.decode(token, certs=self.certs(), audience=audience)
        if claims.get("iss") not in GOOGLE_ISSUERS:  # Google signs with either form
            raise ValueError("not this issuer's token")
        return claims


def strip_signature(token: str) -> str:
    """The token as Cloud Run forwards it to the container after verifying it."""
    header, payload, _ = token.split(".")
    return f"{header}.{payload}.{STRIPPED_SIGNATURE}"


def _numeric_id(email: str) -> str:
    return str(int(hashlib.sha256(email.encode()).hexdigest()[:20], 16))
