"""Server-side SVG charts: accessible, labelled, escaped, and well-formed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from dateutil.relativedelta import relativedelta

from intelligence.charts import LABEL_GAP, NHS_BLUE, bar_chart, line_chart, text_width

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))


def test_a_bar_chart_is_an_accessible_image_with_its_numbers_written():
    svg = bar_chart([("Waiting times", 3), ("Communication", 2)], title="Concerns by theme")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Concerns by theme"
    assert root.find(f"{SVG}desc").text == "Waiting times: 3; Communication: 2"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Waiting times", "3", "Communication", "2"]
    bars = list(root.iter(f"{SVG}rect"))
    assert [bar.get("fill") for bar in bars] == [NHS_BLUE, NHS_BLUE]
    # The longest bar belongs to the largest value.
    assert int(bars[0].get("width")) > int(bars[1].get("width"))
    # The title and the description label the image.
    ids = root.get("aria-labelledby").split()
    assert ids == [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")]


def test_text_in_a_chart_is_escaped():
    svg = str(bar_chart([("<script>alert(1)</script>", 1)], title="A & B"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)


def test_an_empty_chart_says_so():
    root = parse(bar_chart([], title="Nothing"))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["No data"]
    root = parse(line_chart([], title="Nothing"))
    assert "No data" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_line_chart_has_a_point_and_labels_for_each_month():
    points = [("Apr 2025", 2), ("May 2025", 0), ("Jun 2025", 5)]
    root = parse(line_chart(points, title="Each month"))
    assert root.get("role") == "img"
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert len(list(root.iter(f"{SVG}polyline"))) == 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for label, value in points:
        assert label in texts and str(value) in texts
    # Higher values sit higher (smaller y).
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert ys[2] < ys[0] < ys[1]


def test_a_single_point_line_chart_draws_no_line():
    root = parse(line_chart([("Apr 2025", 4)], title="One month"))
    assert not list(root.iter(f"{SVG}polyline"))
    assert len(list(root.iter(f"{SVG}circle"))) == 1


# --- Readable from one month to five years, at any width ------------------------------


def months(count):
    first = datetime.date(2021, 4, 1)
    return [(f"{first + relativedelta(months=n):%b %Y}", (n * 7) % 23) for n in range(count)]


def view_box(root):
    _, _, width, height = (float(n) for n in root.get("viewBox").split())
    return width, height


def extent(text):
    """Where a text element is drawn, left to right, by the charts' own width rule."""
    x, width = float(text.get("x")), text_width(text.text, float(text.get("font-size")))
    anchor = text.get("text-anchor", "start")
    if anchor == "middle":
        return x - width / 2, x + width / 2
    if anchor == "end":
        return x - width, x
    return x, x + width


@pytest.mark.parametrize("count", [1, 3, 12, 24, 60])
def test_a_line_chart_scales_to_its_container_and_no_label_is_cut_off(count):
    root = parse(line_chart(months(count), title=f"{count} months"))

    # No size of its own: the page's CSS makes it fill its container.
    assert root.get("width") is None and root.get("height") is None
    width, _ = view_box(root)
    for text in root.iter(f"{SVG}text"):
        left, right = extent(text)
        assert left >= 0 and right <= width, f"{text.text!r} drawn from {left} to {right}"


@pytest.mark.parametrize(
    "count, fewest, most",
    [(1, 1, 1), (3, 3, 3), (12, 4, 12), (24, 4, 12), (60, 4, 12)],
)
def test_month_labels_are_thinned_to_fit_and_never_run_into_each_other(count, fewest, most):
    root = parse(line_chart(months(count), title=f"{count} months"))
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "app-chart__axis-label"]

    assert fewest <= len(labels) <= most
    assert labels[0].text == "Apr 2021"  # the first month is always named
    for one, next_one in zip(labels, labels[1:], strict=False):
        assert extent(one)[1] + LABEL_GAP <= extent(next_one)[0] + 0.01, (one.text, next_one.text)
    # The values written above the points are thinned the same way: side by side, apart.
    values = [t for t in root.iter(f"{SVG}text") if t.get("class") is None]
    for one, next_one in zip(values, values[1:], strict=False):
        assert extent(one)[1] + LABEL_GAP <= extent(next_one)[0] + 0.01, (one.text, next_one.text)


def test_a_bar_chart_scales_to_its_container_and_long_names_stay_inside():
    root = parse(bar_chart([("Speech and language therapy waiting times", 12345)], title="T"))

    assert root.get("width") is None
    width, _ = view_box(root)
    for text in root.iter(f"{SVG}text"):
        left, right = extent(text)
        assert left >= 0 and right <= width, text.text
