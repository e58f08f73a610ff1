"""Issue 13 items 12 and 14: `serve` speaks TLS that desks verify against a CA file; slow headers and
slow bodies are cut off; `seed-demo` refuses a database with real accounts."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desktop.sync.client import ApiClient
from tests.backend.conftest import prepare
from tests.harness.processes import CHANNEL_KEY, ServerProcess


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA, and a server certificate for 127.0.0.1 that it signed: (ca.pem, cert.pem, key.pem)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OneWindow test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def _serve(db: str, log: Path, *extra: str, scheme: str = "http", ca: Path | None = None) -> tuple[str, ServerProcess]:
    server = ServerProcess(db, migrate=False, channel_key=CHANNEL_KEY, args=extra, log_path=log, scheme=scheme,
                           ca_file=ca).start()
    return server.url, server


def _stop(process: ServerProcess) -> None:
    process.stop()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("deployment")
    db = str(folder / "server.db")
    prepare(db)
    yield db, folder


def test_tls_server_is_verified_against_the_ca_file(database: tuple[str, Path]) -> None:
    db, folder = database
    ca, cert, key = _certificates(folder)
    url, process = _serve(db, folder / "tls.log", "--tls-cert", str(cert), "--tls-key", str(key), scheme="https",
                          ca=ca)
    try:
        with pytest.raises(httpx.ConnectError):  # the system's CAs do not know this certificate
            httpx.get(f"{url}/healthz", timeout=5)

        async def desk() -> tuple[dict[str, object], str]:
            client = ApiClient(url, ca_file=str(ca))
            try:
                session = await client.login("clerk_a", "correct horse 1", "tls-desk")
                return await client.health(), str(session.staff["username"])
            finally:
                await client.aclose()

        health, username = asyncio.run(desk())
        assert health["status"] == "ok" and username == "clerk_a"
    finally:
        _stop(process)


def test_slow_headers_and_slow_bodies_are_cut_off(database: tuple[str, Path]) -> None:
    db, folder = database
    url, process = _serve(db, folder / "slow.log", "--header-timeout", "1", "--body-timeout", "1")
    port = int(url.rsplit(":", 1)[1])
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
            assert slow.recv(1024) == b""  # closed by the server, not by our 30 s timeout
        with socket.create_connection(("127.0.0.1", port), timeout=30) as slow:
            slow.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 200\r\n\r\n{\"username\": ")
            answer = b""
            while chunk := slow.recv(4096):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        # A prompt client is served as ever.
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
    finally:
        _stop(process)


def test_seed_demo_refuses_a_database_with_real_accounts(database: tuple[str, Path]) -> None:
    db, _ = database
    result = subprocess.run([sys.executable, "-m", "backend.cli", "seed-demo", "--db", db],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2 and "staff accounts" in result.stderr
