"""`streamlit run` of the app on 127.0.0.1, on a free port, waited for until its health check answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from testkit import ROOT

START_TIMEOUT = 90.0  # seconds a fresh server may take to answer its health check


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str, timeout: float = 2) -> bool:
    """Whether the server at `url` answers its health check now."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        if healthy(url):
            return
        time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


def start_server(
    port: int | None = None,
    env: dict | None = None,
    script: Path = ROOT / "streamlit_app.py",
    inherit_env: bool = True,
) -> tuple[subprocess.Popen, str]:
    """`streamlit run script` (the app by default) on 127.0.0.1; returns (process, base url).

    The server's environment is this process's plus `env`; with `inherit_env=False`, `env` alone."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log = tempfile.NamedTemporaryFile("w", prefix="streamlit-", suffix=".log", delete=False)
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**(os.environ if inherit_env else {}), **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
    except RuntimeError:
        process.kill()
        raise
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def server(port: int | None = None, env: dict | None = None, script: Path = ROOT / "streamlit_app.py"):
    """A fresh server for the `with` block: yields (process, base url)."""
    process, url = start_server(port, env, script)
    try:
        yield process, url
    finally:
        stop_server(process)
