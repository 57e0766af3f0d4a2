"""What the tests and the benchmarks share: a real app server, headless Chromium, AppTest, simulated users.

`tests/` and `bench/` both import this package and never each other:

- `testkit.server`: `streamlit run` on a free port of 127.0.0.1, waited for until healthy;
- `testkit.chromium`: Debian's Chromium with the flags this machine needs, page waits, screenshots;
- `testkit.vega`: what Vega drew in Chromium (a chart's items, its selections), read from its view;
- `testkit.apptest`: the whole app in Streamlit's AppTest, what its pages show (chart specs and data);
- `testkit.fresh`: scripts in a fresh Python, waited for or run in the background while tests go on;
- `testkit.load_driver`: a class of browser sessions at once (tests/test_load.py, bench/bench_load.py);
- `testkit.students`: students on Streamlit's websocket, no browser, and the servers (and nginx)
  they talk to (tests/test_proxy.py, bench/class_students.py);
- `testkit.workloads`: streams of varied training configs (tests/test_startup.py, bench/bench_memory.py)
  and small data sets for the engine's exact comparisons;
- `python -m testkit.screenshots [--docs]`: every page at two sizes into artifacts/screenshots.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
