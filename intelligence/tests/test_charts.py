"""Server-side SVG charts: accessible, labelled, escaped, and well-formed."""

import xml.etree.ElementTree as ET

from intelligence.charts import NHS_BLUE, bar_chart, line_chart

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
