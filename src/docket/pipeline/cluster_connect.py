"""Connecting the coordinator to a Dask scheduler: TLS settings, reachability, workers
present, and the same Docket version on every worker. Each failure is a ``ClusterError``
whose message says what to fix (the CLI exits 4 on it)."""

from __future__ import annotations

import os
from typing import Any

from docket import __version__
from docket.model.errors import ClusterFailure
from docket.pipeline.cluster_worker import versions_probe
from docket.settings import Settings

_TLS = ("cluster_tls_ca_file", "cluster_tls_cert", "cluster_tls_key")


class ClusterError(ClusterFailure):
    """The cluster cannot be used: unreachable, no workers, or a version mismatch."""


def security(settings: Settings, address: str = "") -> Any:
    """A Dask ``Security`` for ``address``, or None for a plain ``tcp://`` cluster.

    From the ``cluster_tls_*`` settings when any is set; otherwise, for a ``tls://``
    address, from Dask's own configuration (``distributed.comm.tls.ca-file`` and
    ``distributed.comm.tls.client.cert`` / ``.key``, e.g. in ``~/.config/dask/``)."""
    ca, cert, key = (str(settings.get(name) or "") for name in _TLS)
    if not (ca or cert or key):
        if not address.startswith("tls://"):
            return None
        from distributed.security import Security

        dask = Security()  # reads distributed.comm.tls.* from Dask's configuration
        # Security sets its tls_* attributes from Dask's configuration at run time.
        ca = dask.tls_ca_file or ""  # type: ignore[attr-defined]
        cert = dask.tls_client_cert or ""  # type: ignore[attr-defined]
        key = dask.tls_client_key or ""  # type: ignore[attr-defined]
        if not (ca and cert):
            raise ClusterError(
                f"{address} is a TLS address: set cluster_tls_ca_file, cluster_tls_cert and "
                "cluster_tls_key (or Dask's distributed.comm.tls.* configuration); "
                "see docs/deploy.md"
            )
    elif not (ca and cert and key):
        raise ClusterError("TLS needs all of " + ", ".join(_TLS))
    for path in filter(None, (ca, cert, key)):
        if not os.access(path, os.R_OK):
            raise ClusterError(f"cannot read the TLS file {path}")
    from distributed.security import Security

    return Security(
        tls_ca_file=ca, tls_client_cert=cert, tls_client_key=key or None, require_encryption=True
    )


def connect(address: str, settings: Settings) -> Any:
    """A client of the scheduler at ``address`` with at least one worker, or ClusterError."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(
            "--cluster needs Dask: pip install 'distributed' (see docs/deploy.md)"
        ) from exc
    timeout = float(settings["cluster_timeout"])
    sec = security(settings, address)
    try:
        client = Client(address, timeout=timeout, security=sec, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        if address.startswith("tls://") and ("SSL" in str(exc) or "certificate" in str(exc)):
            raise ClusterError(
                f"the TLS handshake with the Dask scheduler at {address} failed: this "
                "coordinator's certificate must be signed by the cluster's CA, and "
                f"cluster_tls_ca_file must be the CA that signed the scheduler's ({exc})"
            ) from exc
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s: {exc}"
        ) from exc
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers (waited {timeout:g} s)"
        ) from exc
    return client


def check_versions(client: Any) -> dict[str, str]:
    """Each worker's Docket version; ClusterError naming those that differ from ours."""
    answers = client.run(eval, versions_probe(), on_error="return")
    versions = {
        addr: v if isinstance(v, str) else f"none ({type(v).__name__}: {v})"
        for addr, v in answers.items()
    }
    wrong = {addr: v for addr, v in sorted(versions.items()) if v != __version__}
    if wrong:
        listed = "; ".join(f"{addr} has {v}" for addr, v in wrong.items())
        raise ClusterError(
            f"Docket version mismatch: this coordinator runs {__version__}, but worker {listed}. "
            "Install the same Docket version on every worker."
        )
    return versions
