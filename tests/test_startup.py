"""The libraries' objects are frozen out of the garbage collections Streamlit runs after each script run."""

from conftest import last_line_printed


def test_freeze_leaves_few_objects_for_each_collection():
    line = last_line_printed(
        "import gc\n"
        "from ui.startup import freeze_libraries\n"
        "before = len(gc.get_objects())\n"
        "freeze_libraries(); freeze_libraries()\n"
        "import tensorflow\n"
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    before, frozen, left = map(int, line.split())
    assert frozen > 200_000  # TensorFlow, Keras, scikit-learn, Altair: all imported, then frozen
    assert left < frozen / 20  # what a collection still walks
    assert before < 100_000  # the imports happen in freeze_libraries, not before it
