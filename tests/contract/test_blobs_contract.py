"""The blobs port's contract, written once and run against every adapter."""

from __future__ import annotations

import urllib.request
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.credentials import AnonymousCredentials
from google.oauth2 import service_account

from shared.adapters.gcs import GcsBlobs
from shared.adapters.local_folder import FolderBlobs
from shared.errors import BadInput, NotFound
from shared.ports.blobs import Blobs

BINARY = bytes(range(256)) * 64 + b"\x00\xff"
SIGNER_EMAIL = "adloop-signer@adloop-test.iam.gserviceaccount.com"


class BlobsContract:
    """Every blobs adapter must pass these. Subclasses provide the ``blobs`` fixture."""

    def test_put_then_get_round_trips_binary_data(self, blobs: Blobs) -> None:
        blobs.put("assets/c1/clip.mp4", BINARY, content_type="video/mp4")
        assert blobs.get("assets/c1/clip.mp4") == BINARY

    def test_put_overwrites(self, blobs: Blobs) -> None:
        blobs.put("a/b.txt", b"old", content_type="text/plain")
        blobs.put("a/b.txt", b"new and longer", content_type="text/plain")
        assert blobs.get("a/b.txt") == b"new and longer"

    def test_empty_blob(self, blobs: Blobs) -> None:
        blobs.put("a/empty", b"")
        assert blobs.get("a/empty") == b""
        assert blobs.exists("a/empty")

    def test_get_of_a_missing_blob_raises_not_found(self, blobs: Blobs) -> None:
        with pytest.raises(NotFound):
            blobs.get("a/missing.bin")

    def test_exists(self, blobs: Blobs) -> None:
        assert not blobs.exists("a/x.json")
        blobs.put("a/x.json", b"{}", content_type="application/json")
        assert blobs.exists("a/x.json")

    def test_list_is_sorted_and_filtered_by_prefix(self, blobs: Blobs) -> None:
        for path in ["c2/v/2.mp4", "c1/v/2.mp4", "c1/v/10.mp4", "c1/img.png", "c10/x"]:
            blobs.put(path, b"x")
        assert blobs.list("c1/") == ["c1/img.png", "c1/v/10.mp4", "c1/v/2.mp4"]
        assert blobs.list("c1/v/") == ["c1/v/10.mp4", "c1/v/2.mp4"]
        assert blobs.list("c1") == ["c1/img.png", "c1/v/10.mp4", "c1/v/2.mp4", "c10/x"]
        assert blobs.list() == sorted(blobs.list())
        assert len(blobs.list()) == 5
        assert blobs.list("nothing/") == []

    def test_delete_removes_and_deleting_nothing_is_fine(self, blobs: Blobs) -> None:
        blobs.put("a/gone.txt", b"x")
        blobs.delete("a/gone.txt")
        blobs.delete("a/gone.txt")
        assert not blobs.exists("a/gone.txt")
        assert blobs.list("a/") == []
        with pytest.raises(NotFound):
            blobs.get("a/gone.txt")

    def test_url_can_be_fetched_without_credentials(self, blobs: Blobs) -> None:
        blobs.put("share/ad.mp4", BINARY, content_type="video/mp4")
        url = blobs.url("share/ad.mp4", expires_s=600)
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.read() == BINARY


class TestFolderBlobs(BlobsContract):
    @pytest.fixture
    def blobs(self, tmp_path: Path) -> FolderBlobs:
        return FolderBlobs(tmp_path / "blobs")


def signing_credentials() -> service_account.Credentials:
    """Service-account credentials around a key made here, so URLs can be signed offline."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return service_account.Credentials.from_service_account_info(
        {
            "type": "service_account",
            "project_id": "adloop-test",
            "private_key_id": "test-key",
            "private_key": pem,
            "client_email": SIGNER_EMAIL,
            "client_id": "1",
            "token_uri": "https://oauth2.googleapis.com/token",
        }
    )


@pytest.fixture(scope="module")
def signer() -> service_account.Credentials:
    return signing_credentials()


class TestGcsBlobs(BlobsContract):
    """GCS through gcp-storage-emulator, one fresh bucket per test.

    The emulator serves ``/<bucket>/<object>`` for any query string, so a signed URL pointed at
    it is fetchable; it does not check the signature (real GCS does).
    """

    @pytest.fixture
    def blobs(self, storage_emulator: str, signer: service_account.Credentials) -> GcsBlobs:
        from google.cloud import storage

        client = storage.Client(
            project="adloop-test",
            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
            client_options={"api_endpoint": storage_emulator},
        )
        bucket = f"adloop-{uuid.uuid4().hex[:12]}"
        client.create_bucket(bucket)
        return GcsBlobs(bucket, project="adloop-test", client=client, signing_credentials=signer)

    def test_put_records_the_content_type(self, blobs: GcsBlobs) -> None:
        blobs.put("a/clip.mp4", b"\x00\x01", content_type="video/mp4")
        blob = blobs.client.bucket(blobs.bucket_name).get_blob("a/clip.mp4")
        assert blob is not None and blob.content_type == "video/mp4"

    def test_url_is_a_v4_signed_url(self, blobs: GcsBlobs) -> None:
        blobs.put("share/ad.mp4", b"x")
        parts = urlsplit(blobs.url("share/ad.mp4", expires_s=900))
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert parts.path == f"/{blobs.bucket_name}/share/ad.mp4"
        assert query["X-Goog-Algorithm"] == "GOOG4-RSA-SHA256"
        assert query["X-Goog-Expires"] == "900"
        assert query["X-Goog-Credential"].startswith(SIGNER_EMAIL + "/")
        assert query["X-Goog-SignedHeaders"] == "host"
        assert len(query["X-Goog-Signature"]) == 512  # RSA-2048 signature, hex
        int(query["X-Goog-Signature"], 16)

    @pytest.mark.parametrize("expires_s", [0, 7 * 24 * 3600 + 1])
    def test_url_refuses_lifetimes_gcs_refuses(self, blobs: GcsBlobs, expires_s: int) -> None:
        with pytest.raises(BadInput):
            blobs.url("share/ad.mp4", expires_s=expires_s)
