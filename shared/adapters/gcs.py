"""Blobs in a Google Cloud Storage bucket.

An upload is one object write, atomic by GCS semantics (readers see the old object or the new).
``url`` gives a V4 signed URL. On Cloud Run and Cloud Functions the default credentials hold no
private key, so signing goes through the IAM signBlob API with the runtime service account (which
needs ``roles/iam.serviceAccountTokenCreator`` on itself); ``signing_credentials`` (a service
account key) signs locally instead.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from google.api_core import exceptions as gexc

from shared.adapters.google_errors import CLIENT_ERRORS, translate
from shared.errors import BadInput, NotFound

if TYPE_CHECKING:
    from google.auth.credentials import Credentials
    from google.cloud.storage import Blob, Bucket, Client

# V4 signed URLs live at most seven days.
MAX_EXPIRES_S = 7 * 24 * 3600


class GcsBlobs:
    """The blobs port on one GCS bucket. ``client`` is for tests; production builds its own."""

    def __init__(
        self,
        bucket: str,
        *,
        project: str | None = None,
        client: Client | None = None,
        signing_credentials: Credentials | None = None,
    ) -> None:
        self.bucket_name = bucket
        self.project = project
        self._client = client
        self._signing_credentials = signing_credentials
        self._lock = threading.Lock()

    @property
    def client(self) -> Client:
        with self._lock:
            if self._client is None:
                from google.cloud import storage

                self._client = storage.Client(project=self.project)
            return self._client

    def _bucket(self) -> Bucket:
        return self.client.bucket(self.bucket_name)

    def _blob(self, path: str) -> Blob:
        name = path.lstrip("/")
        if not name or name.endswith("/"):
            raise BadInput(f"not a blob path: {path!r}")
        return self._bucket().blob(name)

    def put(
        self, path: str, data: bytes, *, content_type: str = "application/octet-stream"
    ) -> None:
        blob = self._blob(path)
        try:
            blob.upload_from_string(data, content_type=content_type)
        except CLIENT_ERRORS as e:
            raise translate(e, f"uploading gs://{self.bucket_name}/{blob.name}") from e

    def get(self, path: str) -> bytes:
        blob = self._blob(path)
        try:
            data: bytes = blob.download_as_bytes()
        except gexc.NotFound as e:
            raise NotFound(f"no blob at {path!r}") from e
        except CLIENT_ERRORS as e:
            raise translate(e, f"downloading gs://{self.bucket_name}/{blob.name}") from e
        return data

    def exists(self, path: str) -> bool:
        blob = self._blob(path)
        try:
            return bool(blob.exists())
        except CLIENT_ERRORS as e:
            raise translate(e, f"checking gs://{self.bucket_name}/{blob.name}") from e

    def list(self, prefix: str = "") -> list[str]:
        try:
            blobs = self.client.list_blobs(self.bucket_name, prefix=prefix.lstrip("/") or None)
            return sorted(blob.name for blob in blobs)
        except CLIENT_ERRORS as e:
            raise translate(e, f"listing gs://{self.bucket_name}/{prefix}") from e

    def delete(self, path: str) -> None:
        blob = self._blob(path)
        try:
            blob.delete()
        except gexc.NotFound:
            pass  # deleting what is not there is done, as in the folder adapter
        except CLIENT_ERRORS as e:
            raise translate(e, f"deleting gs://{self.bucket_name}/{blob.name}") from e

    def url(self, path: str, *, expires_s: int = 3600) -> str:
        """A V4 signed GET URL, valid for ``expires_s`` seconds (at most seven days)."""
        if not 0 < expires_s <= MAX_EXPIRES_S:
            raise BadInput(f"expires_s must be in 1..{MAX_EXPIRES_S}, not {expires_s}")
        blob = self._blob(path)
        try:
            return str(
                blob.generate_signed_url(
                    version="v4",
                    expiration=timedelta(seconds=expires_s),
                    method="GET",
                    **self._signer(),
                )
            )
        except CLIENT_ERRORS as e:
            raise translate(e, f"signing a URL for {blob.name}") from e

    def _signer(self) -> dict[str, Any]:
        """How to sign: a key given here, the client's own key, or IAM signBlob with a token."""
        from google.auth.credentials import Signing

        if self._signing_credentials is not None:
            return {"credentials": self._signing_credentials}
        credentials = self.client._credentials
        if isinstance(credentials, Signing):
            return {}
        if not credentials.valid:
            from google.auth.transport.requests import Request

            credentials.refresh(Request())
        email = getattr(credentials, "service_account_email", None)
        if not email:
            raise BadInput("cannot sign URLs: the credentials name no service account")
        return {"service_account_email": email, "access_token": credentials.token}
