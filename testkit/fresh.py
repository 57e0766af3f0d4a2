"""Python scripts in a fresh process: nothing a test process imported or left behind counts.

`run` waits for one. `Background` starts them at once and runs them one after the other on a thread
of this process, while the tests go on: in one process (`pytest -n 0`) the test suite starts every
script its chosen tests mark with `@pytest.mark.fresh_process(script, files)` once they are collected,
on the core the tests leave free; a pytest-xdist worker, whose tests already keep every core busy,
starts each when a test first asks for it (tests/conftest.py). A test reads its own with the `fresh`
fixture; tests that mark the same script and options share one run of it.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from subprocess import PIPE

from testkit import ROOT

PRELUDE = f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
# A project script ends without the interpreter's finalization: the app's daemon thread that imports
# TensorFlow and traces the presets (ui.startup.load_in_background) may still be running, and killing
# it inside TensorFlow aborts the process ("terminate called ... FATAL: exception not rethrown").
EPILOGUE = "\nimport os, sys\nsys.stdout.flush()\nsys.stderr.flush()\nos._exit(0)\n"
RUNNING: set[subprocess.Popen] = set()  # the fresh processes running now


@dataclass(frozen=True)
class Finished:
    """A script that ran to its end: what it printed, and the folder it ran in (with what it wrote)."""

    stdout: str
    folder: Path

    @property
    def last_line(self) -> str:
        return self.stdout.strip().splitlines()[-1]

    def after(self, label: str) -> str:
        """What the script printed after `label:` on the first line that starts with it."""
        line = next(line for line in self.stdout.splitlines() if line.startswith(f"{label}:"))
        return line.removeprefix(f"{label}:")


def run(script: str, files: dict[str, str | bytes] | None = None, timeout: float = 600) -> Finished:
    """Run `script` (Python source) in a fresh Python; it fails the test with the script's error output
    if the script fails.

    Without `files`, in the project's folder with the project importable (Streamlit reads the app's
    .streamlit/config.toml there). With `files` ({name: text or bytes}), as a student's own script:
    in a new folder that holds them, the project not importable."""
    if files is None:
        folder, command = ROOT, [sys.executable, "-c", PRELUDE + script + EPILOGUE]
    else:
        folder, command = Path(tempfile.mkdtemp(prefix="fresh-")), [sys.executable, "fresh_script.py"]
        for name, content in files.items():  # a name may hold a subfolder: "wine/script.py"
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
        (folder / "fresh_script.py").write_text(script)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    with subprocess.Popen(command, cwd=folder, env=env, text=True, stdout=PIPE, stderr=PIPE) as process:
        RUNNING.add(process)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        finally:
            process.kill()
            RUNNING.discard(process)
    if process.returncode:
        raise AssertionError(f"the fresh process failed:\n{stderr[-3000:]}")
    return Finished(stdout, folder)


class Background:
    """Scripts started now and run one at a time on a thread; `result(key)` waits for one."""

    def __init__(self) -> None:
        self._futures: dict[str, Future] = {}
        self._started: dict[str, Future] = {}  # by script and options: the same script runs once
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self, key: str, script: str, **options) -> None:
        """Queue `script` under `key` (several keys may share one run of the same script and options);
        `options` are `run`'s."""
        same = script + repr(sorted(options.items()))
        if same not in self._started:
            self._started[same] = Future()
            self._jobs.put((self._started[same], script, options))
        self._futures[key] = self._started[same]
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, daemon=True, name="fresh processes")
            self._thread.start()

    def _work(self) -> None:
        while True:
            future, script, options = self._jobs.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(run(script, **options))
                except BaseException as error:  # the test that reads it raises it
                    future.set_exception(error)

    def result(self, key: str) -> Finished:
        return self._futures[key].result()

    def stop(self) -> None:
        """Scripts not started yet never start, and the one running is ended (the session is over)."""
        for future in self._started.values():
            future.cancel()
        for process in list(RUNNING):
            process.kill()
