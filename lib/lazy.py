"""Heavy libraries imported on first use, not when a module that may need them is imported.

The data page (the default page, the first a student sees) needs no TensorFlow, and importing
it takes seconds. `lib.engine` and `lib.optimizers` name `tf` as usual; the real import
happens the first time an attribute is read, that is when a network is traced or trained (or
when `ui.startup` imports it in the background once the first page is drawn).
"""

from __future__ import annotations

import importlib


class LazyModule:
    """Stands for the module `name`; reading any attribute imports it (once) and reads it there."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


tensorflow = LazyModule("tensorflow")
