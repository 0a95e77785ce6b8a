"""RFC 3161 timestamps for seals: ask a timestamp authority for a token over a digest.

A TimeStampReq is small and fixed in shape, so it is written by hand rather than with an
ASN.1 library: SEQUENCE { version 1, messageImprint { sha256, digest }, nonce, certReq }.
Of the answer only the status is parsed, and the token is checked to carry our imprint and
nonce; its CMS signature is left to ``openssl ts -verify`` with the authority's certificate.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import urllib.request
from typing import Any

_SHA256_ALG = bytes.fromhex("300d06096086480165030402010500")  # AlgorithmIdentifier, NULL


def _der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def _der_int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=False))


def timestamp_request(digest: bytes, nonce: int) -> bytes:
    imprint = _der(0x30, _SHA256_ALG + _der(0x04, digest))
    return _der(0x30, _der_int(1) + imprint + _der_int(nonce) + _der(0x01, b"\xff"))


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of body, end of body) of the DER element at ``at``."""
    tag, first = data[at], data[at + 1]
    if first < 0x80:
        return tag, at + 2, at + 2 + first
    k = first & 0x7F
    size = int.from_bytes(data[at + 2 : at + 2 + k], "big")
    return tag, at + 2 + k, at + 2 + k + size


def request_timestamp(url: str, signature: bytes, timeout: float = 30) -> dict[str, Any]:
    """Ask the authority at ``url`` for a token over SHA-256 of ``signature``. The token
    is kept as the authority sent it (DER, base64); ``openssl ts -verify`` checks it.
    Here only its status, nonce and imprint are read: enough to refuse a wrong answer."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"{url!r} is not an http(s) URL")
    digest = hashlib.sha256(signature).digest()
    nonce = secrets.randbits(63)
    request = urllib.request.Request(
        url,
        data=timestamp_request(digest, nonce),
        headers={"Content-Type": "application/timestamp-query"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        data = reply.read(1 << 20)
    try:
        tag, body, end = _tlv(data, 0)  # TimeStampResp
        _, status_body, status_end = _tlv(data, body)  # PKIStatusInfo
        _, int_body, int_end = _tlv(data, status_body)
        status = int.from_bytes(data[int_body:int_end], "big")
        token = data[status_end:end]
    except IndexError as exc:
        raise ValueError("not a TimeStampResp") from exc
    if tag != 0x30 or status not in (0, 1) or not token:
        raise ValueError(f"the authority refused (PKIStatus {status})")
    if digest not in token or _der_int(nonce) not in token:
        raise ValueError("the token is not over this seal (imprint or nonce differ)")
    return {
        "authority": url,
        "hash": "sha256",
        "of": "signature",
        "token": base64.b64encode(token).decode(),
    }
