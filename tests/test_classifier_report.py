"""Evaluation reports: the page, its images, its tables and what it refuses, on synthetic scores."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image  # a dependency of matplotlib, so always present with it
from sklearn.metrics import f1_score, precision_score, recall_score

from classifier.report import write_category_report, write_complaint_report

ROWS = 300
THRESHOLD = 0.5
WORST = 10
CATEGORIES = ["air", "jalan", "kesehatan", "listrik", "sampah"]
COMPLAINT_IMAGES = {"precision-recall.png", "calibration.png", "confusion.png"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_SIDE = 200  # pixels: anything smaller is not a readable chart
HOSTILE = "<script>alert('pwned')</script> jalan rusak"


class Tables(HTMLParser):
    """Collects every table with an id as a list of rows of cell texts (header row left out)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.images: list[str] = []
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "id" in attrs:
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag == "td" and self._table is not None:
            self._cell = []
        elif tag == "img":
            self.images.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._table[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            if self._table is not None:
                self._table[:] = [row for row in self._table if row]
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def complaints():
    rng = np.random.default_rng(20240601)
    truth = rng.random(ROWS) < 0.4
    scores = np.clip(0.35 * truth + 0.65 * rng.random(ROWS), 0.0, 1.0)
    texts = [f"post-{i:04d}" for i in range(ROWS)]
    predicted = scores >= THRESHOLD
    metrics = {
        "precision": float(precision_score(truth, predicted, zero_division=0)),
        "recall": float(recall_score(truth, predicted, zero_division=0)),
        "f1": float(f1_score(truth, predicted, zero_division=0)),
        "rows": ROWS,
    }
    return {"texts": texts, "truth": truth, "scores": scores, "threshold": THRESHOLD, "metrics": metrics}


@pytest.fixture
def categories():
    rng = np.random.default_rng(20240602)
    truth = list(rng.choice(CATEGORIES, ROWS))
    predicted = [label if rng.random() < 0.7 else str(rng.choice(CATEGORIES)) for label in truth]
    predicted[0] = "lainnya"  # predicted but never true: still a class of the report
    confidence = rng.random(ROWS)
    texts = [f"post-{i:04d}" for i in range(ROWS)]
    metrics = {"accuracy": float(np.mean(np.array(truth) == np.array(predicted))), "rows": ROWS}
    return {"texts": texts, "truth": truth, "predicted": predicted, "confidence": confidence, "metrics": metrics}


def complaint_report(out: Path, data: dict, **overrides) -> Path:
    arguments = {"model_version": "v-test", "data_name": "synthetic.csv", "worst": WORST, **data, **overrides}
    return write_complaint_report(out, **arguments)


def category_report(out: Path, data: dict, **overrides) -> Path:
    arguments = {"model_version": "v-test", "data_name": "synthetic.csv", "worst": WORST, **data, **overrides}
    return write_category_report(out, **arguments)


def assert_readable_png(path: Path) -> None:
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert min(image.size) >= MIN_SIDE


def left_out(candidates: np.ndarray, listed: list[int]) -> np.ndarray:
    """Indices of the candidate rows that the report did not list."""
    return np.setdiff1d(np.flatnonzero(candidates), listed)


def shown(value: float | int) -> str:
    return str(value) if isinstance(value, int) else f"{value:.4f}"


def test_complaint_report_writes_page_and_images(tmp_path, complaints):
    out = tmp_path / "reports" / "complaint"
    index = complaint_report(out, complaints)

    assert index == out / "index.html"
    assert {path.name for path in out.glob("*.png")} == COMPLAINT_IMAGES
    for name in COMPLAINT_IMAGES:
        assert_readable_png(out / name)
    page = Tables(index.read_text(encoding="utf-8"))
    assert sorted(page.images) == sorted(COMPLAINT_IMAGES)


def test_complaint_report_shows_header_and_every_metric(tmp_path, complaints):
    html = complaint_report(tmp_path, complaints, model_version="20240601-abcd", data_name="holdout.csv").read_text()

    assert "20240601-abcd" in html
    assert "holdout.csv" in html
    rows = Tables(html).tables["metrics"]
    assert rows == [[name, shown(value)] for name, value in complaints["metrics"].items()]


def test_complaint_report_lists_worst_mistakes_in_order(tmp_path, complaints):
    truth, scores = complaints["truth"], complaints["scores"]
    flagged = scores >= THRESHOLD
    assert (~truth & flagged).sum() > WORST and (truth & ~flagged).sum() > WORST, "the data must have enough mistakes"
    by_text = dict(zip(complaints["texts"], range(ROWS), strict=True))

    tables = Tables(complaint_report(tmp_path, complaints).read_text()).tables

    false_positives = [by_text[text] for _, text in tables["false-positives"]]
    false_negatives = [by_text[text] for _, text in tables["false-negatives"]]
    assert len(false_positives) == len(false_negatives) == WORST
    assert not truth[false_positives].any() and flagged[false_positives].all()
    assert truth[false_negatives].all() and not flagged[false_negatives].any()
    # The highest-scoring false positives and the lowest-scoring false negatives, in that order.
    assert list(scores[false_positives]) == sorted(scores[false_positives], reverse=True)
    assert scores[left_out(~truth & flagged, false_positives)].max() <= scores[false_positives].min()
    assert list(scores[false_negatives]) == sorted(scores[false_negatives])
    assert scores[left_out(truth & ~flagged, false_negatives)].min() >= scores[false_negatives].max()
    assert [score for score, _ in tables["false-positives"]] == [shown(float(s)) for s in scores[false_positives]]


def test_complaint_report_escapes_hostile_text(tmp_path, complaints):
    texts = list(complaints["texts"])
    scores = complaints["scores"].copy()
    truth = complaints["truth"].copy()
    texts[0], scores[0], truth[0] = HOSTILE, 1.0, False  # the worst false positive

    html = complaint_report(tmp_path, {**complaints, "texts": texts, "scores": scores, "truth": truth}).read_text()

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert Tables(html).tables["false-positives"][0][1] == HOSTILE


def test_complaint_report_with_complaints_only(tmp_path, complaints):
    truth = np.ones(ROWS, dtype=bool)

    html = complaint_report(tmp_path, {**complaints, "truth": truth}).read_text()

    tables = Tables(html).tables
    assert "false-positives" not in tables
    assert len(tables["false-negatives"]) == WORST
    for name in COMPLAINT_IMAGES:
        assert_readable_png(tmp_path / name)


def test_rerun_overwrites_the_report(tmp_path, complaints):
    complaint_report(tmp_path, complaints, model_version="first-model")
    html = complaint_report(tmp_path, complaints, model_version="second-model").read_text()

    assert "second-model" in html and "first-model" not in html
    assert {path.name for path in tmp_path.iterdir()} == COMPLAINT_IMAGES | {"index.html"}


def test_category_report_lists_every_class_and_confident_mistakes(tmp_path, categories):
    out = tmp_path / "category"
    index = category_report(out, categories)

    assert {path.name for path in out.iterdir()} == {"index.html", "confusion.png"}
    assert_readable_png(out / "confusion.png")
    html = index.read_text()
    page = Tables(html)
    assert page.images == ["confusion.png"]
    assert page.tables["metrics"] == [[name, shown(value)] for name, value in categories["metrics"].items()]

    truth, predicted = categories["truth"], categories["predicted"]
    per_class = {row[0]: row for row in page.tables["per-class"]}
    assert set(per_class) == set(truth) | set(predicted)
    assert {name: int(row[-1]) for name, row in per_class.items()} == {name: truth.count(name) for name in per_class}

    wrong = page.tables["wrong"]
    by_text = dict(zip(categories["texts"], range(ROWS), strict=True))
    rows = [by_text[text] for *_, text in wrong]
    assert len(rows) == WORST
    assert all(actual != guess for actual, guess, *_ in wrong)
    assert [(actual, guess) for actual, guess, *_ in wrong] == [(truth[i], predicted[i]) for i in rows]
    confidence = categories["confidence"]
    assert list(confidence[rows]) == sorted(confidence[rows], reverse=True)
    mistaken = np.array(truth) != np.array(predicted)
    assert confidence[left_out(mistaken, rows)].max() <= confidence[rows].min()


def test_category_report_escapes_hostile_text(tmp_path, categories):
    texts = [HOSTILE] * ROWS

    html = category_report(tmp_path, {**categories, "texts": texts}).read_text()

    assert "<script>" not in html
    assert all(row[-1] == HOSTILE for row in Tables(html).tables["wrong"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: {**data, "texts": [], "truth": data["truth"][:0], "scores": data["scores"][:0]}, "no rows"),
        (lambda data: {**data, "scores": data["scores"][:-1]}, "scores has"),
        (lambda data: {**data, "truth": data["truth"][:-1]}, "truth has"),
        (lambda data: {**data, "truth": np.zeros(ROWS, dtype=bool)}, "no complaint in the data"),
        (lambda data: {**data, "truth": data["truth"].astype(int)}, "bool array"),
        (lambda data: {**data, "scores": data["scores"] * 2}, r"probabilities in \[0, 1\]"),
        (lambda data: {**data, "threshold": 1.5}, "threshold"),
    ],
)
def test_complaint_report_refuses_bad_input(tmp_path, complaints, change, message):
    with pytest.raises(ValueError, match=message):
        complaint_report(tmp_path / "out", change(complaints))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: {**data, "texts": [], "truth": [], "predicted": [], "confidence": np.array([])}, "no rows"),
        (lambda data: {**data, "predicted": data["predicted"][:-1]}, "predicted has"),
        (lambda data: {**data, "confidence": data["confidence"][:-1]}, "confidence has"),
        (lambda data: {**data, "confidence": -data["confidence"]}, r"probabilities in \[0, 1\]"),
    ],
)
def test_category_report_refuses_bad_input(tmp_path, categories, change, message):
    with pytest.raises(ValueError, match=message):
        category_report(tmp_path / "out", change(categories))
    assert not (tmp_path / "out").exists()
