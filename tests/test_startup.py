"""The libraries' objects are frozen out of the garbage collections Streamlit runs after each script run."""
import subprocess
import sys

from conftest import ROOT


def test_freeze_leaves_few_objects_for_each_collection():
    script = (
        "import gc, sys; sys.path.insert(0, %r)\n"
        "from ui.startup import freeze_libraries\n"
        "before = len(gc.get_objects())\n"
        "freeze_libraries(); freeze_libraries()\n"
        "import tensorflow\n"
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))\n"
    ) % str(ROOT)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=300).stdout
    before, frozen, left = map(int, out.split()[-3:])
    assert frozen > 200_000  # TensorFlow, Keras, scikit-learn, Altair: all imported, then frozen
    assert left < frozen / 20  # what a collection still walks
    assert before < 100_000  # the imports happen in freeze_libraries, not before it
