"""A class at once: many browser sessions changing the inner-layer page and visiting the comparison.

Shared by the load test (tests/test_load.py, which asserts on the result) and the benchmark
(bench/bench_load.py, which prints it). Each session is one Chromium context (its own
Streamlit session) that keeps moving its own sliders to its own seeds until the time is up,
then reports the numbers its page states, the config its widgets show, and every error it saw.
Meanwhile a poller asks the server's health endpoint twice a second.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import time
import urllib.request
from dataclasses import dataclass, field

import psutil
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from testkit.chromium import launch

SIDEBAR = "[data-testid='stSidebar']"
MAIN = "[data-testid='stMain']"
IDLE = """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state')
    === 'notRunning' && !document.querySelector('[data-testid="stStatusWidget"]')"""
# Hang guards, not goals: a busy machine may be slow, only a stuck session or server fails.
TIMEOUT = 300_000  # ms one page change may take
HEALTH_TIMEOUT = 30  # seconds one health answer may take; the slowest is reported
MIN_EPOCHS = 5
START_EPOCHS = 6
THINK = 1.0  # seconds a student looks at the page before the next change


@dataclass
class Session:
    """What one simulated student set and saw."""

    number: int
    actions: int = 0
    compare_visits: int = 0
    hidden: int = 0
    epochs: int = 0
    seed: int = 0
    accuracy_label: str = ""
    accuracy: str = ""
    parameters: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Load:
    sessions: list[Session]
    seconds: float
    health_ok: int
    health_failures: list[str]  # why each unanswered health check failed
    health_worst: float  # slowest health answer, seconds
    warm_up_errors: list[str]
    rss_fresh: float  # MiB of the server process: started, nothing loaded
    rss_before: float  # after one session opened both pages (TensorFlow loaded, traces made)
    rss_after: float  # after the class

    @property
    def actions(self) -> int:
        return sum(s.actions for s in self.sessions)


class RunCounter:
    """The script runs a tab's server reports finished, read from the websocket.

    The page's own "running" state is no witness: when a run takes a few milliseconds, its
    start and finish reach the browser together and the page never shows it running.
    """

    FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}

    def __init__(self, tab) -> None:
        self.finished = 0
        tab.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") == "script_finished" and message.script_finished in self.FINISHED:
                self.finished += 1


async def _after(tab, action) -> None:
    """Do `action` (a widget change or a page switch) and wait until the run it starts has finished."""
    runs: RunCounter = tab.runs
    before, deadline = runs.finished, time.monotonic() + TIMEOUT / 1000
    await action()
    while runs.finished <= before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no script run finished within {TIMEOUT / 1000:.0f} s")
        await asyncio.sleep(0.05)
    await tab.wait_for_function(IDLE, timeout=TIMEOUT, polling="raf")


async def _check(tab, session: Session, where: str) -> None:
    for testid in ("stException", "stAlertContentError"):
        count = await tab.locator(f"[data-testid='{testid}']").count()
        if count:
            text = await tab.locator(f"[data-testid='{testid}']").first.inner_text()
            session.errors.append(f"{where}: {testid}: {text[:300]}")


async def _open(tab, title: str) -> None:
    await _after(tab, tab.locator(f"{SIDEBAR} [data-testid='stSidebarNavLink']").filter(has_text=title).click)
    await tab.wait_for_selector(f"{MAIN} .vega-embed >> visible=true", timeout=TIMEOUT)  # a page may hold
    # one layout of a chart per width band, the others hidden


def _slider(tab, label: str):
    return tab.locator(f"{SIDEBAR} [data-testid='stSlider']").filter(has_text=label).get_by_role("slider")


async def _press(tab, label: str, key: str, times: int = 1) -> None:
    thumb = _slider(tab, label)
    for _ in range(times):
        await thumb.focus()
        await _after(tab, lambda: tab.keyboard.press(key))


async def _set_seed(tab, seed: int) -> None:
    box = tab.locator(f"{SIDEBAR} [data-testid='stNumberInput']").filter(has_text="Weights seed")
    await box.locator("input").fill(str(seed))
    await _after(tab, lambda: box.locator("input").press("Enter"))


async def _metric(tab, label: str) -> tuple[str, str]:
    metric = tab.locator(f"{MAIN} [data-testid='stMetric']").filter(has_text=label).first
    return (
        await metric.locator("[data-testid='stMetricLabel']").inner_text(),
        await metric.locator("[data-testid='stMetricValue']").inner_text(),
    )


async def _final_accuracy(tab) -> tuple[str, str]:
    """("N epochs", "97.1%") from the inner-layer page's caption of the run it shows."""
    text = await tab.locator(f"{MAIN} [data-testid='stCaptionContainer']").first.inner_text()
    found = re.search(r"(\d+) epochs · final test accuracy ([\d.]+%)", text)
    return (f"{found.group(1)} epochs", found.group(2)) if found else ("", "")


async def _tab(browser, session: Session):
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT)  # every wait, page loads too, has the same hang guard
    context.set_default_navigation_timeout(TIMEOUT)
    tab = await context.new_page()
    tab.runs = RunCounter(tab)
    tab.on("pageerror", lambda err: session.errors.append(f"javascript: {err}"))
    return context, tab


def start_link(session: Session) -> str:
    """Each student's own shared link: a short run, 3 or 4 nodes, a seed of their own."""
    return f"inner_layer?epochs={START_EPOCHS}&hidden={3 + session.number % 2}&seed={1000 * session.number}"


async def _arrive(tab, url: str, session: Session) -> None:
    """Open the inner-layer page by a shared link, as a class would."""
    await _after(tab, lambda: tab.goto(f"{url}/{start_link(session)}"))
    await tab.get_by_text("Trainable parameters").wait_for(timeout=TIMEOUT)


async def _teacher(browser, url: str) -> list[str]:
    """Open both pages once before the class arrives (imports, traces, the shared t-SNE)."""
    teacher = Session(0)
    context, tab = await _tab(browser, teacher)
    await _arrive(tab, url, teacher)
    await _open(tab, "Compare reductions")
    await _check(tab, teacher, "warm-up")
    await context.close()
    return teacher.errors


async def _student(browser, url: str, session: Session, deadline: float) -> None:
    context, tab = await _tab(browser, session)
    try:
        await asyncio.sleep(session.number * 0.5)  # a class arrives over a few seconds
        await _arrive(tab, url, session)
        while not session.actions or time.monotonic() < deadline:  # one change at least, however slow
            await asyncio.sleep(THINK)
            session.actions += 1
            await _set_seed(tab, 1000 * session.number + session.actions)
            if session.actions % 2:
                epochs = int(await _slider(tab, "Epochs").input_value())
                await _press(tab, "Epochs", "ArrowLeft" if epochs > MIN_EPOCHS else "ArrowRight")
            await _check(tab, session, "inner layer")
            if not session.compare_visits or (session.actions % 3 == 1 and time.monotonic() < deadline):
                await _open(tab, "Compare reductions")
                await _check(tab, session, "compare")
                session.compare_visits += 1
                await _open(tab, "The free lab: inner layers")
        await tab.get_by_text("Trainable parameters").wait_for(timeout=TIMEOUT)
        session.hidden = int(await _slider(tab, "Nodes in hidden layer 1").input_value())
        session.epochs = int(await _slider(tab, "Epochs").input_value())
        seed_box = tab.locator(f"{SIDEBAR} [data-testid='stNumberInput']").filter(has_text="Weights seed")
        session.seed = int(await seed_box.locator("input").input_value())
        session.accuracy_label, session.accuracy = await _final_accuracy(tab)
        session.parameters = (await _metric(tab, "Trainable parameters"))[1]
        await _check(tab, session, "final")
    except Exception as err:  # a timeout is a failure of this session, reported, not a crash
        session.errors.append(f"driver: {type(err).__name__}: {str(err)[:300]}")
    finally:
        await context.close()


async def _poll_health(url: str, stop: asyncio.Event, tally: dict) -> None:
    started = time.monotonic()

    def ask() -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=HEALTH_TIMEOUT) as response:
            if response.status != 200:
                raise OSError(f"status {response.status}")
        return time.perf_counter() - started

    while not stop.is_set():
        try:
            tally["worst"] = max(tally["worst"], await asyncio.to_thread(ask))
            tally["ok"] += 1
        except OSError as err:
            tally["failures"].append(f"{time.monotonic() - started:.0f} s: {err}")
        await asyncio.sleep(0.5)


async def _drive(url: str, server_pid: int, sessions: int, seconds: float) -> Load:
    from playwright.async_api import async_playwright

    server = psutil.Process(server_pid)
    rss = lambda: server.memory_info().rss / 2**20
    rss_fresh = rss()
    students = [Session(number) for number in range(1, sessions + 1)]
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        warm_up_errors = await _teacher(browser, url)
        rss_before = rss()
        tally = {"ok": 0, "failures": [], "worst": 0.0}
        stop = asyncio.Event()
        poller = asyncio.create_task(_poll_health(url, stop, tally))
        started = time.monotonic()
        await asyncio.gather(*(_student(browser, url, s, started + seconds) for s in students))
        elapsed = time.monotonic() - started
        stop.set()
        await poller
        await browser.close()
    return Load(
        students,
        elapsed,
        tally["ok"],
        tally["failures"],
        tally["worst"],
        warm_up_errors,
        rss_fresh,
        rss_before,
        rss(),
    )


def drive(url: str, server_pid: int, sessions: int = 8, seconds: float = 60) -> Load:
    """Run `sessions` students against the app at `url` for about `seconds`, then report.

    In a thread of its own: the caller may already run an event loop (sync Playwright does).
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _drive(url, server_pid, sessions, seconds)).result()


def expected_numbers(dataset, session: Session) -> tuple[str, str, str]:
    """(epochs, accuracy, parameters) of the session's config trained alone, as the page words them."""
    from dataclasses import replace

    from lib.training import DEEPER_LESSON, train

    config = replace(DEEPER_LESSON, hidden=(session.hidden,), epochs=session.epochs, seed=session.seed)
    run = train(dataset, config)
    return (
        f"{config.epochs} epochs",
        f"{run.snapshot_accuracy[config.epochs]:.1%}",
        f"{run.n_params:,}",
    )
