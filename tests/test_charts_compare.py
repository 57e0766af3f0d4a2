"""The comparison page's linked maps: what each row carries of its neighbours, and the spec that
rings the picked row's neighbours and says what each map keeps, in the browser."""

import json

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from lib.charts import compare
from lib.neighbours import neighbourhoods
from lib.projections import comparison_rows, map_of, shown_features


@pytest.fixture(scope="module")
def maps(banknotes):
    """PCA and LDA of the banknotes' test rows, with their neighbourhoods."""
    rows = comparison_rows(len(banknotes.y), np.arange(0, len(banknotes.y), 4))
    embeddings = [map_of(banknotes, rows, method) for method in ("pca", "lda")]
    features = shown_features(banknotes, rows)
    hoods = [neighbourhoods(features, e.coordinates) for e in embeddings]
    return banknotes, rows, features, embeddings, hoods


def layers(spec: dict, panel: int) -> list[dict]:
    return spec["concat"][panel]["layer"]


def test_each_row_carries_how_many_of_its_k_neighbours_each_map_keeps(maps):
    dataset, rows, features, embeddings, hoods = maps
    frame = compare.maps_frame(dataset, rows.show, embeddings, hoods, 12)
    assert (frame["k"] == 12).all()
    data = NearestNeighbors(n_neighbors=12).fit(features).kneighbors(return_distance=False)
    for embedding in embeddings:
        coordinates = embedding.coordinates
        on_map = NearestNeighbors(n_neighbors=12).fit(coordinates).kneighbors(return_distance=False)
        kept = [len(set(data[i]) & set(on_map[i])) for i in range(len(rows.show))]
        np.testing.assert_array_equal(frame[f"{embedding.method}_kept"], kept)


def test_the_neighbours_table_names_each_rows_k_nearest_in_the_data_by_row_id(maps):
    dataset, rows, features, _, hoods = maps
    table = compare.neighbours_frame(rows.show, hoods[0], 7)
    assert len(table) == 7 * len(rows.show)
    data = NearestNeighbors(n_neighbors=7).fit(features).kneighbors(return_distance=False)
    for i in (0, 5, len(rows.show) - 1):
        assert list(table[table["of"] == rows.show[i]]["row"]) == list(rows.show[data[i]])


def test_a_click_picks_a_row_in_every_panel_and_rings_its_neighbours(maps):
    dataset, rows, _, embeddings, hoods = maps
    spec = compare.linked_maps(dataset, rows.show, embeddings, hoods, 10).spec()
    pick = next(p for p in spec["params"] if p["name"] == "pick")
    assert pick["select"]["type"] == "point" and pick["select"]["fields"] == ["row"]
    assert pick["select"]["toggle"] is False and pick["select"]["clear"] == "dblclick"
    assert "click" in pick["select"]["on"] and "touchend" in pick["select"]["on"]  # a tap on a phone
    assert "value" not in pick  # nothing picked until a click
    assert len(pick["views"]) == len(embeddings)  # one pick shared by every panel
    brush = next(p for p in spec["params"] if p["name"] == "brush")
    assert brush["views"] == pick["views"]
    for panel, embedding in enumerate(embeddings):
        targets, dots, rings, picked, caption, corners = layers(spec, panel)
        assert targets["mark"]["size"] > dots["mark"]["size"]  # a tap near a dot picks it
        assert corners["mark"]["opacity"] == 0 and "tooltip" not in corners["encoding"]  # only the extent
        assert dots["encoding"]["color"]["condition"]["param"] == "brush"
        # the neighbours of the picked row, at their own places on this panel's map
        text = json.dumps(rings["transform"])
        assert "pick.row" in text and "datum.of" in text
        lookup = next(t for t in rings["transform"] if "lookup" in t)
        assert lookup["lookup"] == "row" and f"{embedding.method}_x" in lookup["from"]["fields"]
        assert rings["encoding"]["x"]["field"] == f"{embedding.method}_x"
        for layer in (picked, caption):
            assert {"param": "pick", "empty": False} in [t.get("filter") for t in layer["transform"]]
        formula = next(t for t in caption["transform"] if "calculate" in t)["calculate"]
        assert f"datum['{embedding.method}_kept']" in formula and "datum.k" in formula
        assert "' neighbours'" in formula


def test_a_row_found_by_its_number_opens_picked(maps):
    dataset, rows, _, embeddings, hoods = maps
    row = int(rows.show[9])
    spec = compare.linked_maps(dataset, rows.show, embeddings, hoods, 10, picked=row).spec()
    pick = next(p for p in spec["params"] if p["name"] == "pick")
    assert pick["value"] == [{"row": row}]


def test_kept_colours_colour_every_dot_by_its_share_of_neighbours_kept(maps):
    dataset, rows, _, embeddings, hoods = maps
    plain = compare.linked_maps(dataset, rows.show, embeddings, hoods, 10).spec()
    kept = compare.linked_maps(dataset, rows.show, embeddings, hoods, 10, kept_colours=True).spec()
    for panel, embedding in enumerate(embeddings):
        assert layers(plain, panel)[1]["encoding"]["color"]["condition"]["field"] == "class"
        dots = layers(kept, panel)[1]
        colour = dots["encoding"]["color"]["condition"]
        assert colour["field"] == "kept_share" and colour["scale"]["domain"] == [0, 1]
        formula = next(t for t in dots["transform"] if "calculate" in t)
        assert formula == {"calculate": f"datum['{embedding.method}_kept'] / datum.k", "as": "kept_share"}
