"""A streaming replica of the test PostgreSQL server, on loopback, for the router tests."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from django.db import connections

# Settings a hot standby must have at least as high as its primary.
STANDBY_MINIMUMS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"), reverse=True)
    if found:
        return Path(found[0]).parent
    return Path(shutil.which("pg_basebackup") or "pg_basebackup").resolve().parent


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; run its programs as the `postgres` system user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class StreamingReplica:
    """pg_basebackup -R -X stream of the primary, started as a hot standby on a free port."""

    def __init__(self, primary: dict) -> None:
        self.primary = primary
        self.port = _free_port()
        self.bindir = _bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="partline-replica-"))
        self.data = self.dir / "data"
        self.started = False

    def start(self) -> None:
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "postgres", "postgres")
        host, port = self.primary["HOST"] or "127.0.0.1", str(self.primary["PORT"] or 5432)
        with connections["default"].cursor() as cursor:
            minimums = []
            for name in STANDBY_MINIMUMS:
                cursor.execute(f"SHOW {name}")
                minimums.append(f"-c {name}={cursor.fetchone()[0]}")
        subprocess.run(
            _as_postgres([
                str(self.bindir / "pg_basebackup"), "-h", host, "-p", port,
                "-U", self.primary["USER"] or "postgres", "-D", str(self.data),
                "-R", "-X", "stream", "-c", "fast", "--no-sync",
            ]),
            check=True, capture_output=True, timeout=120,
        )
        options = " ".join([
            f"-p {self.port}", "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.dir}", "-c hot_standby=on", "-c fsync=off",
            "-c wal_receiver_status_interval=1s", *minimums,
        ])
        subprocess.run(
            _as_postgres([
                str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
                "-l", str(self.dir / "replica.log"), "-w", "-t", "60", "start",
            ]),
            check=True, capture_output=True, timeout=90,
        )
        self.started = True

    def settings_dict(self) -> dict:
        """The primary's connection settings (test database name included), this port."""
        test = {**self.primary.get("TEST", {}), "MIRROR": "default"}
        return {**self.primary, "PORT": str(self.port), "TEST": test}

    def stop(self) -> None:
        if self.started:
            subprocess.run(
                _as_postgres([
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                    "-w", "stop",
                ]),
                capture_output=True, timeout=60,
            )
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_until(check, *, timeout: float = 15.0, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(message or "timed out")
        time.sleep(0.05)
