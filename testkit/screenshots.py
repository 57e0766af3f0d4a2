"""Screenshots of every page of the app, at a laptop's and a phone's size, into artifacts/screenshots.

    python -m testkit.screenshots           # artifacts/screenshots/<page>-1440x900.png, -390x844.png
    python -m testkit.screenshots --docs    # also docs/screenshot-data.png, the README's picture

Starts its own server on a free port of 127.0.0.1 (or uses --url). Each picture is the page's
first screen as a student sees it after the page has finished running; `--full` takes whole pages.
Only `--docs` writes a tracked file: the README's screenshot changes when someone asks for it.
"""

from __future__ import annotations

import argparse
import ast
import shutil
from pathlib import Path

from testkit import ARTIFACTS, ROOT
from testkit.chromium import chromium, screenshot, wait_for_app
from testkit.server import server

SIZES = ((1440, 900), (390, 844))
FOLDER = ARTIFACTS / "screenshots"
DOCS_PICTURE = ROOT / "docs" / "screenshot-data.png"
DOCS_SIZE = (1400, 1000)  # the README's picture: the whole data page at this width
# The lesson holds each step's view back until its question is answered; step 5 has none.
QUERIES = {"lesson": "?step=5"}


def pages() -> list[str]:
    """The url path of every page in streamlit_app.py's navigation ("" the default, first; the others in
    the order the source names them)."""
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            default = any(k.arg == "default" and getattr(k.value, "value", False) for k in node.keywords)
            found.append("" if default else Path(node.args[0].value).stem)
    return sorted(found, key=lambda path: path != "")


def take(url: str, full: bool = False, docs: bool = False) -> list[Path]:
    taken = []
    with chromium() as browser:
        for path in pages():
            for width, height in SIZES:
                context = browser.new_context(viewport={"width": width, "height": height})
                tab = context.new_page()
                tab.goto(f"{url}/{path}{QUERIES.get(path, '')}")
                wait_for_app(tab)
                taken.append(screenshot(tab, f"{path or 'data'}-{width}x{height}", FOLDER, full_page=full))
                context.close()
        if docs:
            context = browser.new_context(viewport=dict(zip(("width", "height"), DOCS_SIZE)))
            tab = context.new_page()
            tab.goto(url)
            wait_for_app(tab)
            DOCS_PICTURE.parent.mkdir(exist_ok=True)
            shutil.copyfile(screenshot(tab, "docs-data", FOLDER), DOCS_PICTURE)
            taken.append(DOCS_PICTURE)
            context.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", action="store_true", help=f"also write {DOCS_PICTURE.relative_to(ROOT)}")
    parser.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    parser.add_argument("--url", help="a running app (default: start one on a free port)")
    args = parser.parse_args()
    if args.url:
        taken = take(args.url.rstrip("/"), args.full, args.docs)
    else:
        with server() as (_, url):
            taken = take(url, args.full, args.docs)
    for path in taken:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
