"""``serve --server --tls-cert --tls-key``: the real server over HTTPS, with a certificate
made by the test, logging in and reading a case."""

from __future__ import annotations

import datetime
import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.newsroom.helpers import ARABIC, docket, init_server, sources


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_server_over_tls(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_server(tmp_path, pg_url, monkeypatch)
    docket("user", "add", "sam", "--password-stdin", input="battery staple 2\n")
    docket("case", "create", "a")
    docket("grant", "sam", "a", "reader")
    docket("--case", "server:a", "ingest", str(sources(tmp_path, "src", {"a.txt": ARABIC})))
    cert, key = _certificate(tmp_path)
    port = _free_port()
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "docket", "serve", "--server", "--host", "127.0.0.1",
         "--port", str(port), "--tls-cert", str(cert), "--tls-key", str(key)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"https://localhost:{port}"
    try:
        trust = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=base, verify=trust, follow_redirects=False) as c:
            for _ in range(200):
                try:
                    r = c.get("/login")
                    break
                except httpx.ConnectError:
                    assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                    time.sleep(0.1)
            assert r.status_code == 200
            r = c.post(
                "/login",
                data={"user": "sam", "password": "battery staple 2"},
                headers={"Origin": base},
            )
            assert r.status_code == 303
            assert c.get("/cases/a").status_code == 303
            hits = c.get("/api/search", params={"q": "المدفوعات"}).json()
            assert hits["total"] == 1
        # plain HTTP on the same port is not answered as a desk
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://localhost:{port}/login", timeout=5).raise_for_status()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
