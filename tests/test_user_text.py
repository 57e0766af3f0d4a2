"""No user text is rendered as HTML or Markdown: column names and class labels show as written."""

import re

from testkit import ROOT
from testkit.apptest import LAPTOP_BAND, app_test, first_run, upload
from ui.charts import UNTOLD
from ui.layout import stylesheet

TRICKY = ["<b>bold</b>", "**star**", "[link](http://example.com)"]


def test_no_page_or_glue_allows_html():
    for path in [ROOT / "streamlit_app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]:
        source = path.read_text()
        # the one exception: the stylesheet, from a repo file and lib.charts.layouts, and the width
        # probe, a constant script that is given numbers only
        if path.name == "layout.py":
            source = source.replace("st.markdown(stylesheet(chart_band()), unsafe_allow_html=True)", "")
            source = source.replace("st.components.v2.component(PROBE, js=PROBE_JS)", "")
        pattern = r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.html\(|components\.v2\.component\("
        assert not re.search(pattern, source), path


def test_an_upload_with_markup_in_its_names_is_shown_escaped():
    rows = "".join(f"{i},{i % 5},{TRICKY[i % 3]}\n" for i in range(30))
    data = f"{TRICKY[0]},{TRICKY[1]},class\n{rows}".encode()
    at = upload(first_run(data="upload"), "tricky.csv", data)
    assert any("star" in m.value for m in [*at.markdown, *at.caption, *at.info])  # shown, escaped below
    for page in ("app_pages/data.py", "app_pages/inner_layer.py", "app_pages/gradient_descent.py"):
        if page != "app_pages/data.py":
            at.switch_page(page).run()
        assert not at.exception, page
        # every element but the stylesheet, built from a repo file and lib.charts.layouts alone
        shown = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error]
        shown = [element for element in shown if element.value != stylesheet(LAPTOP_BAND)]  # app_test's band
        assert shown, page
        for element in shown:
            assert not getattr(element.proto, "allow_html", False), page
            for text in TRICKY:  # a raw label would be rendered as bold, a link or HTML
                assert text not in element.value, (page, element.value)


def test_a_width_the_browser_tells_is_a_known_band_or_not_told():
    """The width probe's state comes from the browser, and any client can send another: text or a
    value that is not a width in pixels never reaches the stylesheet's HTML nor breaks the page (it counts as
    not told: no chart is drawn, a line says it is coming)."""
    from ui import state

    for told in ("<b>bold</b>", '980"><img src=x>', -5, 980.5, True, None):
        at = app_test("app_pages/inner_layer.py", state={state.CHART_WIDTH: {"band": told}})
        assert not at.exception, told
        sheets = [m.value for m in at.markdown if m.value.startswith("<style")]
        assert sheets == [stylesheet()], told  # the sheet of a page not told its width
        assert UNTOLD in [c.value for c in at.caption] and not at.get("vega_lite_chart"), told
    at = app_test("app_pages/inner_layer.py", state={state.CHART_WIDTH: {"band": 980}})
    assert [m.value for m in at.markdown if m.value.startswith("<style")] == [stylesheet(980)]
