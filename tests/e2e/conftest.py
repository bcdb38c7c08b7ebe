"""The local cloud, started once for the end-to-end tests and always stopped.

Where the Firestore or Cloud Tasks emulator is missing these tests skip with how to install it;
CI sets ADLOOP_REQUIRE_LOCAL_CLOUD=1, which turns that skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from shared.bootstrap import bootstrap
from shared.services import Services
from shared.settings import Settings
from tests.e2e.cloud import LocalCloud, LocalCloudUnavailable, local_cloud, prerequisites


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCloud]:
    """One cloud for the module; its environment (set by `operator`) ends with the module."""
    try:
        prerequisites()
    except LocalCloudUnavailable as e:
        if os.environ.get("ADLOOP_REQUIRE_LOCAL_CLOUD") == "1":
            pytest.fail(f"ADLOOP_REQUIRE_LOCAL_CLOUD=1 but {e}")
        pytest.skip(str(e))
    with local_cloud(tmp_path_factory.mktemp("local-cloud")) as running:
        yield running


@pytest.fixture(scope="module")
def operator(cloud: LocalCloud) -> Iterator[Services]:
    """The deployment's state as an operator's machine sees it (Firestore, GCS, Cloud Tasks)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in cloud.operator_env().items():
            patch.setenv(name, value)
        services = bootstrap(Settings())
        yield services
        services.close()
