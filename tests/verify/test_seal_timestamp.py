"""A seal carries an RFC 3161 token when a timestamp authority is configured: here a real
one, ``openssl ts -reply`` behind an HTTP server on loopback, with a certificate made for
the test; the token is then checked by ``openssl ts -verify``."""

from __future__ import annotations

import base64
import hashlib
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from docket.case import Case
from docket.verify import seal as sealing

OPENSSL = shutil.which("openssl")
pytestmark = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")

TSA_CONFIG = """
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3
[dn]
CN = Docket test TSA
[v3]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = {dir}/serial
signer_cert = {dir}/tsa.crt
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A timestamp authority at http://127.0.0.1:PORT/; yields its URL and certificate."""
    d = tmp_path_factory.mktemp("tsa")
    (d / "tsa.cnf").write_text(TSA_CONFIG.format(dir=d))
    (d / "serial").write_text("01\n")
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", d / "tsa.key", "-out", d / "tsa.crt", "-days", "2",
         "-config", d / "tsa.cnf"],
        check=True, capture_output=True,
    )  # fmt: skip
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                (d / "q.tsq").write_bytes(body)
                proc = subprocess.run(
                    [OPENSSL, "ts", "-reply", "-config", d / "tsa.cnf",
                     "-queryfile", d / "q.tsq", "-out", d / "r.tsr"],
                    capture_output=True,
                )  # fmt: skip
                reply = (d / "r.tsr").read_bytes() if proc.returncode == 0 else b""
            self.send_response(200 if reply else 400)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", d / "tsa.crt"
    server.shutdown()
    server.server_close()


def _case(root: Path, url: str) -> Case:
    case = Case.open(root, create=True, timestamp_authority=url)
    for n in range(3):
        case.log("note", n=n)
    return case


def test_a_configured_authority_timestamps_the_signature(
    tsa: tuple[str, Path], tmp_path: Path
) -> None:
    url, cert = tsa
    case = _case(tmp_path / "case", url)
    key, _, _ = sealing.load_key(tmp_path / "key.pem", case.root)
    sealed = sealing.make_seal(case, key)
    stamp = sealed["timestamp"]
    assert stamp is not None, sealed["timestamp_note"]
    assert stamp["authority"] == url and "RFC 3161" in sealed["timestamp_note"]
    token = tmp_path / "token.der"
    token.write_bytes(base64.b64decode(stamp["token"]))
    digest = hashlib.sha256(base64.b64decode(sealed["signature"])).hexdigest()
    proc = subprocess.run(
        [OPENSSL, "ts", "-verify", "-digest", digest, "-in", token, "-token_in",
         "-CAfile", cert],
        capture_output=True, text=True,
    )  # fmt: skip
    assert "Verification: OK" in proc.stdout, proc.stdout + proc.stderr
    # The token lies outside what the key signs: the seal still verifies.
    assert sealing.check_seal(case, sealed).ok


def test_an_unreachable_authority_still_seals_and_says_why(tmp_path: Path) -> None:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    case = _case(tmp_path / "case", f"http://127.0.0.1:{port}/")
    key, _, _ = sealing.load_key(tmp_path / "key.pem", case.root)
    sealed = sealing.make_seal(case, key)
    assert sealed["timestamp"] is None
    assert "gave no token" in sealed["timestamp_note"]
    assert sealing.check_seal(case, sealed).ok


def test_without_an_authority_the_seal_says_it_has_none(tmp_path: Path) -> None:
    case = _case(tmp_path / "case", "")
    key, _, _ = sealing.load_key(tmp_path / "key.pem", case.root)
    sealed = sealing.make_seal(case, key)
    assert sealed["timestamp"] is None
    assert sealed["timestamp_note"] == "no timestamp authority configured"
