"""Two replicas behind Debian's nginx (deploy/run_local.sh), reached the way a class reaches them.

Through the proxy: the health check answers, two simulated students (each with the cookie nginx
gave it) open the inner-layer page from a link and train once without an error, every request of
one student lands on one replica, and new browsers are spread over both. Also: the compose file's
nginx configuration passes `nginx -t`. Correctness only, no timings.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import subprocess
import urllib.request

import pytest

from testkit import ROOT
from testkit.students import NGINX, Servers, Student, nginx_available, start_link

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not nginx_available(), reason=f"nginx is not installed at {NGINX}"),
]
DEPLOY = ROOT / "deploy"


def _get(url: str, cookie: str = "") -> tuple[int, str, str, str]:
    """Status, body, the X-Replica that answered, and the sticky cookie set (if any)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        cookies = " ".join(answer.headers.get_all("Set-Cookie") or [])
        sticky = re.search(r"bl_replica=([^;]+)", cookies)
        return answer.status, answer.read().decode(), answer.headers["X-Replica"], sticky and sticky[1]


@pytest.fixture(scope="module")
def proxy():
    with Servers(2, proxy=True) as servers:
        yield servers


def test_health_answers_through_the_proxy(proxy):
    status, body, replica, cookie = _get(f"{proxy.url}/_stcore/health")
    assert (status, body) == (200, "ok")
    assert replica in {u.removeprefix("http://") for u in proxy.replica_urls}
    assert cookie, "nginx gives a new browser its sticky cookie"


def test_new_browsers_are_spread_over_both_replicas(proxy):
    seen = set()
    for _ in range(30):  # a random cookie each: both replicas after a few (all on one: 2**-29)
        seen.add(_get(f"{proxy.url}/_stcore/health")[2])
        if len(seen) == 2:
            break
    assert seen == {u.removeprefix("http://") for u in proxy.replica_urls}


def test_two_students_open_and_train_each_on_one_replica(proxy):
    async def lesson(number: int) -> Student:
        student = Student(number, proxy.url)
        try:
            await student.connect(start_link(number))
            await student.open()
            await student.train(1)
        finally:
            await student.close()
        return student

    async def both():
        return await asyncio.gather(lesson(1), lesson(2))

    try:  # a thread of its own: an earlier browser test may leave an event loop running in this one
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            students = pool.submit(lambda: asyncio.run(both())).result()
    except Exception as error:
        logs = "\n".join(f"--- {name}\n{text}" for name, text in proxy.replica_logs().items())
        raise AssertionError(f"{error}\n{logs}") from error
    for student in students:
        assert student.cookies.get("bl_replica"), "the student kept nginx's cookie"
        assert len(student.replicas) == 3, student.replicas  # the page, the health check, the websocket
        assert len(set(student.replicas)) == 1, f"one student's requests went to {student.replicas}"
        assert student.epochs == int(re.search(r"epochs=(\d+)", start_link(student.number))[1]) + 1
        assert f"epochs={student.epochs}" in student.query  # the trained run wrote its link
        # Later requests with the same cookie stay there too.
        assert {_get(f"{proxy.url}/_stcore/health", student.cookie)[2] for _ in range(5)} == set(
            student.replicas
        )
    assert students[0].cookies["bl_replica"] != students[1].cookies["bl_replica"]


def test_the_compose_nginx_configuration_is_valid(tmp_path):
    """deploy/nginx.conf as the compose file mounts it, with the paths and the host of this machine."""
    conf = (DEPLOY / "nginx.conf").read_text()
    conf = conf.replace("/etc/nginx/streamlit/", f"{DEPLOY / 'nginx'}/").replace("app:8501", "127.0.0.1:8501")
    conf = conf.replace("listen 80;", "listen 127.0.0.1:8080;")
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    (tmp_path / "nginx.conf").write_text(f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n{conf}")
    result = subprocess.run(
        [NGINX, "-t", "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
