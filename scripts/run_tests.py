#!/usr/bin/env python3
"""Run the test suite against throwaway PostgreSQL and Redis servers on loopback.

Installs the Debian packages it needs when they are missing (as root), starts the servers
on free ports with their data under ``var/test-services/``, runs pytest (or, with
``--services-only -- CMD``, any command) with ``DATABASE_URL`` and ``REDIS_URL`` pointing at
them, and stops them afterwards, also when the tests fail or are interrupted.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES_DIR = ROOT / "var" / "test-services"
DEBIAN_PACKAGES = {
    "postgresql": "postgresql",
    "redis-server": "redis-server",
    "chromium": "chromium",
    "chromedriver": "chromium-driver",
    "cjk-font": "fonts-wqy-microhei",
    "msgfmt": "gettext",
    "nginx": "nginx",
    "varnishd": "varnish",
    "xkey": "varnish-modules",
}
# The order PDFs print Chinese company names and addresses in this font.
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


# Test processes side by side (pytest-xdist), one per core up to this many: each has its own
# test database and Redis database (tests/settings.py).
MAX_TEST_WORKERS = 4


def workers(pytest_args: list[str]) -> list[str]:
    """``-n N`` for pytest unless the arguments choose (``-n 0`` runs in one process)."""
    if any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in pytest_args):
        return []
    return ["-n", str(max(1, min(MAX_TEST_WORKERS, os.cpu_count() or 1)))]


def log(message: str) -> None:
    print(f"[run_tests] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def nginx_binary() -> str | None:
    """nginx lives in /usr/sbin, which a non-root PATH may leave out."""
    found = shutil.which("nginx")
    if found is None and Path("/usr/sbin/nginx").exists():
        found = "/usr/sbin/nginx"
    return found


def varnish_binary() -> str | None:
    """varnishd lives in /usr/sbin, like nginx."""
    found = shutil.which("varnishd")
    if found is None and Path("/usr/sbin/varnishd").exists():
        found = "/usr/sbin/varnishd"
    return found


def xkey_vmod_installed() -> bool:
    return bool(glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so"))


def missing_packages() -> list[str]:
    missing = []
    if postgres_bindir() is None:
        missing.append(DEBIAN_PACKAGES["postgresql"])
    if shutil.which("redis-server") is None:
        missing.append(DEBIAN_PACKAGES["redis-server"])
    if shutil.which("chromium") is None:
        missing.append(DEBIAN_PACKAGES["chromium"])
    if shutil.which("chromedriver") is None:
        missing.append(DEBIAN_PACKAGES["chromedriver"])
    if not CJK_FONT.exists():
        missing.append(DEBIAN_PACKAGES["cjk-font"])
    if shutil.which("msgfmt") is None:
        missing.append(DEBIAN_PACKAGES["msgfmt"])
    if nginx_binary() is None:
        missing.append(DEBIAN_PACKAGES["nginx"])
    if varnish_binary() is None:
        missing.append(DEBIAN_PACKAGES["varnishd"])
    if not xkey_vmod_installed():
        missing.append(DEBIAN_PACKAGES["xkey"])
    return missing


def compile_messages() -> None:
    """The pages' Chinese comes from locale/*.po; Django reads the compiled .mo files."""
    log("compiling messages")
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "--ignore=.venv", "--ignore=var",
         "-v", "0"],
        check=True,
        cwd=ROOT,
        env=dict(os.environ, SECRET_KEY=os.environ.get("SECRET_KEY", "compilemessages-only")),
    )


def install_packages(packages: list[str]) -> None:
    if not packages:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        sys.exit(
            "Missing Debian packages: "
            + " ".join(packages)
            + ". Install them (apt-get install "
            + " ".join(packages)
            + ") and run again."
        )
    log("installing " + " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    # nginx and varnish start a system service when installed; the suite starts its own on
    # free ports, so service starts are refused while installing (Debian's policy-rc.d).
    policy = Path("/usr/sbin/policy-rc.d")
    added_policy = not policy.exists()
    if added_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    finally:
        if added_policy:
            policy.unlink(missing_ok=True)


def as_postgres_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; run its programs as the `postgres` system user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class Services:
    def __init__(self) -> None:
        SERVICES_DIR.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="run-", dir=SERVICES_DIR))
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.pg_bindir = postgres_bindir()
        self.pg_data = self.dir / "pg"
        self.redis: subprocess.Popen | None = None
        self.pg_started = False

    def start(self) -> dict[str, str]:
        self._start_postgres()
        self._start_redis()
        return {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/partline",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
        }

    def _start_postgres(self) -> None:
        assert self.pg_bindir is not None
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            as_postgres_user(
                [
                    str(self.pg_bindir / "initdb"),
                    "-D",
                    str(self.pg_data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = " ".join(
            [
                f"-p {self.pg_port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.dir}",
                "-c max_connections=200",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c shared_buffers=256MB",
            ]
        )
        subprocess.run(
            as_postgres_user(
                [
                    str(self.pg_bindir / "pg_ctl"),
                    "-D",
                    str(self.pg_data),
                    "-o",
                    options,
                    "-l",
                    str(self.dir / "postgres.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pg_started = True
        subprocess.run(
            as_postgres_user([
                str(self.pg_bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
                "-U", "postgres", "partline",
            ]),
            check=True,
        )
        log(f"PostgreSQL on 127.0.0.1:{self.pg_port}")

    def _start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5):
                    log(f"Redis on 127.0.0.1:{self.redis_port}")
                    return
            except OSError:
                if self.redis.poll() is not None:
                    log_file = self.dir / "redis.log"
                    raise RuntimeError(f"redis-server exited; see {log_file}") from None
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start within 20 s")

    def stop(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            try:
                self.redis.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
        if self.pg_started:
            subprocess.run(
                as_postgres_user(
                    [
                        str(self.pg_bindir / "pg_ctl"),
                        "-D",
                        str(self.pg_data),
                        "-m",
                        "immediate",
                        "-w",
                        "stop",
                    ]
                ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.pg_started = False
        shutil.rmtree(self.dir, ignore_errors=True)
        log("services stopped")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--services-only",
        action="store_true",
        help="start the services and run the command after --",
    )
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="fail instead of installing missing Debian packages",
    )
    args, rest = parser.parse_known_args()
    if rest and rest[0] == "--":
        rest = rest[1:]

    missing = missing_packages()
    if missing and args.no_install:
        sys.exit("Missing Debian packages: " + " ".join(missing))
    install_packages(missing)
    compile_messages()

    services = Services()

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        env = dict(os.environ, **services.start())
        pytest = [sys.executable, "-m", "pytest", *workers(rest), *rest]
        command = rest if args.services_only else pytest
        log("running " + " ".join(command))
        return subprocess.run(command, env=env, cwd=ROOT).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main())
