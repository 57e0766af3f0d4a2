"""What Streamlit's clean-up after every script run costs, with and without `ui.startup`'s freeze.

After each script run Streamlit runs `gc.collect(2)` (runner.postScriptGC) and
`keras.backend.clear_session`, which collects again. Both hold the GIL, so every session
of the server waits for them. This times that clean-up in one process with the app's
libraries loaded and the lesson's network trained, before and after `freeze_libraries()`.

    python bench/bench_gc.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import gc
import importlib

from common import seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats

    from lib.datasets import load_dataset  # first: lib sets TensorFlow's environment
    from lib.training import DEEPER_LESSON, train
    from ui.startup import HEAVY_MODULES, freeze_libraries

    for name in HEAVY_MODULES:
        importlib.import_module(name)
    train(load_dataset("banknotes"), DEEPER_LESSON)
    # Streamlit's own clean-up (a private function: this bench measures exactly what it does)
    from streamlit.runtime.scriptrunner.script_runner import _clean_problem_modules

    def clean_up() -> None:  # what Streamlit does after a script run
        gc.collect(2)
        _clean_problem_modules()

    tracked = len(gc.get_objects())
    before = seconds(clean_up, repeats)
    freeze_libraries()
    after = seconds(clean_up, repeats)
    print(f"objects the collector walks: {tracked:,} before the freeze, {len(gc.get_objects()):,} after")
    print(
        f"clean-up after a script run: {before * 1000:.1f} ms before, {after * 1000:.2f} ms after "
        f"({before / after:.0f}x shorter)"
    )
    summary(
        "clean-up after each script run (GIL held), with the freeze",
        after * 1000,
        "ms",
        baseline=f"without the freeze ({before * 1000:.0f} ms)",
        ratio=after / before,
    )


if __name__ == "__main__":
    main()
