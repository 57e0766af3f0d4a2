"""Simulated students: Streamlit's own websocket protocol, no browser, so a client costs nothing.

A `Student` does what the browser's frontend does for the actions of a class: it loads the page
over HTTP (which, behind the proxy, hands it the sticky cookie), opens `/_stcore/stream`, and
sends protobuf `BackMsg`s (`rerun_script` with the address' query string, the page, every widget's
current value, the band of widths its width probe tells, a pressed button's trigger and, for a
fragment, its id); it reads the `ForwardMsg`s
back: `new_session`, the `navigation` with the pages' hashes, `page_info_changed` when the app
rewrites the address, `delta`s with the widgets (matched by label) and exceptions, and
`script_finished`.

An action's time runs from sending the `BackMsg` to the `script_finished` that ends it. An error is
an exception element in the deltas, a run that does not finish in time or not successfully, or a
dropped connection.

`Servers` starts what students talk to: one fresh `streamlit run`, or with `proxy=True` the
replicas and nginx of `deploy/run_local.sh`, and measures their CPU time and memory.
Shared by tests/test_proxy.py and the class benchmark (bench/class_students.py, bench/bench_class.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from lib.settings import TRAIN
from testkit import ROOT
from testkit.apptest import LAPTOP_BAND
from testkit.server import healthy
from ui.layout import PROBE

# The sidebar's controls, by the labels a student reads: the settings' own names (lib.settings),
# and the two ui/train_controls.py writes itself.
EPOCHS, ACTIVATION = TRAIN["epochs"].name, TRAIN["activation"].name
NODES = "Nodes in hidden layer {}"  # a hidden layer's slider, numbered from 1
REINITIALIZE = "Re-initialize"
INNER_LAYER, COMPARE = "inner_layer", "compare"
RUN_TIMEOUT = 120.0  # seconds one run may take before it counts as an error
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class StudentError(Exception):
    """What a student saw go wrong: an exception on the page, a run that did not finish, a drop."""


@dataclass
class Widget:
    kind: str  # the element's type: "slider", "selectbox", ...
    id: str
    label: str
    fragment_id: str  # "" outside a fragment
    script: str  # the hash of the script that drew it: the main script's or a page's
    proto: object


def _value_state(widget_id: str, kind: str, proto) -> WidgetState | None:
    """The value the frontend holds for a widget it just drew (its default, or the value the script set).

    Only the widgets whose value the element states exactly; for the others (buttons, charts, ...)
    nothing is sent and the server keeps the value of the previous run, as it does for a browser
    that has not touched them.
    """
    state = WidgetState(id=widget_id)
    given = proto.set_value
    if kind == "slider" and proto.type == proto.Type.SELECT_SLIDER:  # options, sent as their labels
        chosen = list(proto.raw_value) if given else [proto.options[int(i)] for i in proto.default]
        state.string_array_value.data[:] = chosen
    elif kind == "slider":
        state.double_array_value.data[:] = list(proto.value if given else proto.default)
    elif kind in ("checkbox",):
        state.bool_value = proto.value if given else proto.default
    elif kind == "number_input":
        if not given and not proto.HasField("default"):
            return None
        state.double_value = proto.value if given else proto.default
    elif kind in ("selectbox", "radio"):
        if given:
            state.string_value = proto.raw_value
        elif 0 <= proto.default < len(proto.options):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "text_input":
        state.string_value = proto.value if given else proto.default
    elif kind == "multiselect":
        chosen = list(proto.raw_values) if given else [proto.options[i] for i in proto.default]
        state.string_array_value.data[:] = chosen
    else:
        return None
    return state


WIDGET_KINDS = {
    "slider",
    "checkbox",
    "number_input",
    "selectbox",
    "radio",
    "text_input",
    "multiselect",
    "button",
}


class Student:
    """One simulated student: one Streamlit session on one websocket."""

    def __init__(self, number: int, base: str) -> None:
        self.number, self.base = number, base.rstrip("/")
        self.band = LAPTOP_BAND  # what its browser's width probe tells (ui.layout)
        self._tells = False  # the probe has just told its band: the browser reruns the page
        self._probe = ""  # the width probe's widget id (the main script draws it on every page)
        self.cookies: dict[str, str] = {}  # what the server and the proxy set (the sticky cookie)
        self.replicas: list[str] = []  # the proxy's X-Replica answer of every request, if any
        self.socket = None
        self.reader: asyncio.Task | None = None
        self.query = ""  # the address' query string, as the app last set it
        self.page_hash = ""  # the page running now
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.main_hash = ""  # streamlit_app.py's script hash
        self.widgets: dict[str, Widget] = {}  # label -> widget, of the last runs
        self.states: dict[str, WidgetState] = {}  # widget id -> the value the frontend holds
        self.cache: dict[str, ForwardMsg] = {}  # cacheable messages by hash, as the frontend keeps them
        self._seen: set[str] = set()  # widget ids drawn in the current run
        self._errors: list[str] = []
        self._finished: asyncio.Queue = asyncio.Queue()
        self._first_page = INNER_LAYER  # the page the link names
        self.epochs = 0  # the Epochs slider's value after the last move

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    # -- the connection -----------------------------------------------------------------------

    def _get(self, path: str) -> bytes:
        request = urllib.request.Request(self.base + path)
        if self.cookies:
            request.add_header("Cookie", self.cookie)
        with urllib.request.urlopen(request, timeout=30) as answer:
            self._note(answer.headers)
            return answer.read()

    def _note(self, headers) -> None:
        for value in headers.get_all("Set-Cookie") or []:
            self.cookies.update((k, m.value) for k, m in SimpleCookie(value).items())
        if replica := headers.get("X-Replica"):
            self.replicas.append(replica)

    async def connect(self, link: str) -> float:
        """Load the page at `link` as a browser does (HTML, health), then open the websocket; seconds."""
        started = time.perf_counter()
        path, _, self.query = link.partition("?")
        await asyncio.to_thread(self._get, link)
        await asyncio.to_thread(self._get, "/_stcore/health")
        address = urlsplit(self.base)
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = self.cookie
        self.socket = await websockets.connect(
            f"ws://{address.netloc}/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=30,
        )
        self._note(self.socket.response.headers)
        self.reader = asyncio.create_task(self._read())
        self._first_page = path.strip("/")
        return time.perf_counter() - started

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            self.reader.cancel()

    async def _read(self) -> None:
        try:
            async for frame in self.socket:
                self._handle(ForwardMsg.FromString(frame))
        except websockets.ConnectionClosed as closed:
            self._finished.put_nowait(f"connection dropped: {closed}")
        except Exception as error:  # a message this client cannot follow: the action fails, not a hang
            self._finished.put_nowait(f"could not read a message: {type(error).__name__}: {error}")
        else:
            self._finished.put_nowait("connection closed by the server")

    def _handle(self, message: ForwardMsg) -> None:
        kind, script = message.WhichOneof("type"), message.metadata.active_script_hash
        if kind == "ref_hash":
            message = self.cache[message.ref_hash]
            kind = message.WhichOneof("type")
        elif message.metadata.cacheable:
            self.cache[message.hash] = message
        if kind == "new_session":
            self.page_hash = message.new_session.page_script_hash
            self.main_hash = message.new_session.main_script_hash
            self._seen = set()
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
            self.page_hash = message.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._element(message.delta.new_element, message.delta.fragment_id, script)
        elif kind == "script_finished":
            status = message.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:  # a full run: forget widgets not drawn
                self.states = {i: s for i, s in self.states.items() if i in self._seen}
                self.widgets = {k: w for k, w in self.widgets.items() if w.id in self._seen}
            if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run follows
                self._finished.put_nowait(status)

    def _element(self, element, fragment_id: str, script: str) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self._errors.append(f"{element.exception.type}: {element.exception.message[:300]}")
        elif kind == "bidi_component" and element.bidi_component.component_name == PROBE:
            self._seen.add(element.bidi_component.id)  # the browser tells its charts' width
            self._probe = element.bidi_component.id
            if element.bidi_component.id not in self.states:
                band = json.dumps({"band": self.band})
                self.states[element.bidi_component.id] = WidgetState(
                    id=element.bidi_component.id, json_value=band
                )
                self._tells = True
        elif kind in WIDGET_KINDS:
            proto = getattr(element, kind)
            self._seen.add(proto.id)
            self.widgets[proto.label] = Widget(kind, proto.id, proto.label, fragment_id, script, proto)
            if kind == "button":  # a trigger holds no value: it goes with the run it starts (`press`)
                return
            if proto.id not in self.states or proto.set_value:
                if (state := _value_state(proto.id, kind, proto)) is not None:
                    self.states[proto.id] = state

    # -- one run -------------------------------------------------------------------------------

    async def _run(self, *, page_hash: str = "", page_name: str = "", fragment_id: str = "") -> float:
        """Send one rerun with the widgets' current values; seconds until its run finished."""
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query
        rerun.page_script_hash = page_hash or ("" if page_name else self.page_hash)
        rerun.page_name = page_name
        rerun.fragment_id = fragment_id
        rerun.widget_states.widgets.extend(self.states.values())
        rerun.cached_message_hashes.extend(self.cache)
        self._errors = []
        while not self._finished.empty():
            self._finished.get_nowait()
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        try:
            status = await asyncio.wait_for(self._finished.get(), RUN_TIMEOUT)
        except TimeoutError:
            raise StudentError(f"no run finished within {RUN_TIMEOUT:.0f} s") from None
        seconds = time.perf_counter() - started
        if isinstance(status, str):
            raise StudentError(status)
        if status not in FINISHED:
            raise StudentError(f"the run ended with {ForwardMsg.ScriptFinishedStatus.Name(status)}")
        if self._errors:
            raise StudentError("; ".join(self._errors))
        return seconds

    def widget(self, label: str) -> Widget:
        try:
            return self.widgets[label]
        except KeyError:
            raise StudentError(f"no widget labelled {label!r} on the page") from None

    def _set(self, widget: Widget, value: float) -> None:
        state = WidgetState(id=widget.id)
        state.double_array_value.data[:] = [float(value)]
        self.states[widget.id] = state

    # -- the actions ---------------------------------------------------------------------------

    async def open(self) -> float:
        """The first run of the page the link named (found by its name, as on a deep link), and the
        run the browser's width probe asks for when it first tells its band (ui.layout)."""
        seconds = await self._run(page_name=self._first_page)
        if self._tells:
            self._tells = False
            seconds += await self._run()
        return seconds

    async def slide(self, label: str, value: float) -> float:
        """Set the slider labelled `label` to `value`, as a student letting go of its thumb."""
        slider = self.widget(label)
        self._set(slider, value)
        return await self._run(fragment_id=slider.fragment_id)

    async def step(self, label: str, step: float) -> float:
        """Move the slider labelled `label` by `step`, or back by it where that leaves its range."""
        slider = self.widget(label)
        current = self.states[slider.id].double_array_value.data[0]
        low, high = slider.proto.min, slider.proto.max
        return await self.slide(label, current + step if low <= current + step <= high else current - step)

    async def train(self, step: int) -> float:
        """Move the Epochs slider by `step` (a new config: the page trains and draws)."""
        seconds = await self.step(EPOCHS, step)
        self.epochs = int(self.value(EPOCHS))
        return seconds

    async def choose(self, label: str, option: str) -> float:
        """Pick `option` (as the select box shows it) in the select box or radio labelled `label`."""
        box = self.widget(label)
        if option not in box.proto.options:
            raise StudentError(f"{label!r} offers no {option!r}")
        state = WidgetState(id=box.id)
        state.string_value = option
        self.states[box.id] = state
        return await self._run(fragment_id=box.fragment_id)

    def options(self, label: str) -> list[str]:
        """The options the select box or radio labelled `label` shows."""
        return list(self.widget(label).proto.options)

    def value(self, label: str) -> float | str:
        """The value the widget labelled `label` holds now (a slider's first)."""
        state = self.states.get(self.widget(label).id)
        if state is None:
            raise StudentError(f"{label!r} holds no value this client knows")
        kind = state.WhichOneof("value")
        return state.double_array_value.data[0] if kind == "double_array_value" else getattr(state, kind)

    async def press(self, label: str) -> float:
        """Press the button labelled `label`: its trigger goes with this run only, as in the browser."""
        button = self.widget(label)
        if button.kind != "button":
            raise StudentError(f"{label!r} is a {button.kind}, not a button")
        self.states[button.id] = WidgetState(id=button.id, trigger_value=True)
        try:
            return await self._run(fragment_id=button.fragment_id)
        finally:
            self.states.pop(button.id, None)

    async def switch(self, page: str) -> float:
        """Go to another page of the navigation, keeping only the widgets the main script drew."""
        if page not in self.pages:
            raise StudentError(f"no page {page!r} in the navigation")
        self.query = ""  # the frontend drops the page's query on a page change
        kept = {w.id for w in self.widgets.values() if w.script == self.main_hash} | {self._probe}
        self.states = {i: s for i, s in self.states.items() if i in kept}
        return await self._run(page_hash=self.pages[page])


def start_link(number: int) -> str:
    """Each student's shared link: the lesson's data, a seed of their own, a short run."""
    return f"/inner_layer?data=banknotes&seed={17 + number}&epochs={8 + number % 5}"


# -- the servers ------------------------------------------------------------------------------------

RUN_LOCAL = ROOT / "deploy" / "run_local.sh"
NGINX = "/usr/sbin/nginx"
START_TIMEOUT = 240.0


def _free_ports(count: int) -> int:
    """The first of `count` consecutive free ports on 127.0.0.1."""
    low, high = map(int, os.environ.get("BENCH_PORTS", "20000-40000").split("-"))  # e.g. 19100-19199
    rng = random.Random()
    for _ in range(200):
        first = rng.randrange(low, high - count + 1)
        try:
            for port in range(first, first + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError("no free ports")


@dataclass
class Usage:
    cpu_seconds: float  # user + system CPU time of the app's processes, children included
    rss_mib: float  # their resident memory now, summed
    rss_peak_mib: float  # the highest sum sampled since `Servers.mark()`
    replica_peak_mib: float  # the highest of one process, sampled since `Servers.mark()`


class Servers:
    """The app on 127.0.0.1: `replicas` fresh `streamlit run` processes, behind nginx if `proxy`."""

    def __init__(self, replicas: int = 1, proxy: bool = False) -> None:
        if proxy and not os.access(NGINX, os.X_OK):
            raise FileNotFoundError(f"nginx is not installed at {NGINX}")
        if not proxy and replicas != 1:
            raise ValueError("several replicas need the proxy in front")
        self.replicas, self.proxy = replicas, proxy
        self.process: subprocess.Popen | None = None
        self.url = ""  # what students open: nginx, or the one server
        self.replica_urls: list[str] = []
        self.run_dir = ""
        self._peak = self._replica_peak = 0.0
        self._sampling = threading.Event()

    def __enter__(self) -> Servers:
        first = _free_ports(self.replicas + 1)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
        self.replica_urls = [f"http://127.0.0.1:{first + 1 + i}" for i in range(self.replicas)]
        if self.proxy:
            command = ["bash", str(RUN_LOCAL), str(self.replicas), str(first), str(first + 1)]
            self.url = f"http://127.0.0.1:{first}"
        else:
            command = [
                sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
                "--server.address", "127.0.0.1", "--server.port", str(first + 1),
            ]  # fmt: skip
            self.url = self.replica_urls[0]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self._output: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while not (healthy(self.url, 5) and all(healthy(u, 5) for u in self.replica_urls)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError("the app did not start:\n" + "".join(self._output[-40:]))
            time.sleep(0.5)
        threading.Thread(target=self._sample, daemon=True).start()
        return self

    def _drain(self) -> None:
        for line in self.process.stdout:
            self._output.append(line)
            if line.startswith("READY "):
                self.run_dir = line.split()[-1]

    def __exit__(self, *exc) -> None:
        self._sampling.set()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # run_local.sh stops nginx and its replicas itself
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this object started
            self.process.wait(timeout=10)

    def app_processes(self) -> list[psutil.Process]:
        """The Streamlit servers (not the shell script, not nginx)."""
        top = psutil.Process(self.process.pid)
        found = [top, *top.children(recursive=True)]
        return [p for p in found if any("streamlit" in part for part in _cmdline(p))]

    def usage(self) -> Usage:
        cpu, rss = 0.0, []
        for process in self.app_processes():
            try:
                times = process.cpu_times()
                cpu += times.user + times.system + times.children_user + times.children_system
                rss.append(process.memory_info().rss / 2**20)
            except psutil.NoSuchProcess:
                continue
        return Usage(cpu, sum(rss), max(self._peak, sum(rss)), max([self._replica_peak, *rss]))

    def mark(self) -> None:
        """Start new peaks of the memory samples."""
        self._peak = self._replica_peak = 0.0

    def _sample(self) -> None:
        while not self._sampling.wait(0.5):
            try:
                now = self.usage()
            except psutil.Error:
                continue
            self._peak, self._replica_peak = now.rss_peak_mib, now.replica_peak_mib

    def replica_logs(self) -> dict[str, str]:
        """Each replica's output (proxy runs), for a failing test to show."""
        if not self.run_dir:
            return {}
        return {p.name: p.read_text(errors="replace")[-4000:] for p in Path(self.run_dir).glob("*.log")}


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def nginx_available() -> bool:
    return os.access(NGINX, os.X_OK) and shutil.which("bash") is not None
