"""The shared test kit: the screenshot command covers every page of the navigation."""

from testkit import ROOT
from testkit.screenshots import SIZES, pages


def test_the_screenshots_cover_every_page_once_with_the_default_at_the_root():
    found = pages()
    assert found[0] == "" and found.count("") == 1  # the data page is the default: the bare address
    assert len(found) == len(set(found))
    assert set(found) - {""} | {"data"} == {p.stem for p in (ROOT / "app_pages").glob("*.py")}
    assert (1440, 900) in SIZES and (390, 844) in SIZES
