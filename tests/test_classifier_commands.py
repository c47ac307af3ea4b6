"""``satukanal classifier train / evaluate / report``: the command-line contract our checks rely on."""

import csv
import json
from pathlib import Path

import pytest

from classifier import CATEGORY_TASK, COMPLAINT_TASK, ModelFileError, load_model, seed_corpus_path
from classifier.storage import metadata_path


def seed_rows(limit: int | None = None) -> list[dict]:
    with seed_corpus_path().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows[:limit] if limit else rows


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def labelled_csv(tmp_path_factory) -> Path:
    """Seed rows renamed to other columns and labels, with a BOM, as any CSV may come."""
    rows = [
        {"isi": row["text"], "kelas": "keluhan" if row["label"] == "complaint" else "lain", "sektor": row["category"]}
        for row in seed_rows(600)
    ]
    return write_csv(tmp_path_factory.mktemp("data") / "labelled.csv", rows, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def complaint_model_file(labelled_csv: Path, tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from satukanal.cli import cli

    out = tmp_path_factory.mktemp("models") / "keluhan.skops"
    args = ["classifier", "train", "--data", str(labelled_csv), "--text-column", "isi", "--label-column", "kelas"]
    result = CliRunner().invoke(cli, [*args, "--positive", "keluhan", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_train_writes_a_complaint_model_with_metadata(complaint_model_file: Path):
    model = load_model(complaint_model_file)
    assert model.task == COMPLAINT_TASK and model.metadata.positive_label == "keluhan"
    assert 0 < model.metadata.threshold < 1
    assert set(model.metadata.metrics) >= {"precision", "recall", "f1", "roc_auc", "brier", "precision_at_recall_90"}
    document = json.loads(metadata_path(complaint_model_file).read_text(encoding="utf-8"))
    assert document["fingerprint"] == model.metadata.fingerprint and document["training_rows"] == 600


def test_evaluate_prints_one_json_object_and_counts_rows_without_label(
    cli_run, complaint_model_file: Path, tmp_path: Path
):
    rows = [{"isi": row["text"], "kelas": row["label"]} for row in seed_rows()[600:800]]
    rows += [{"isi": "tanpa label", "kelas": ""}, {"isi": "juga tanpa label", "kelas": "  "}]
    data = write_csv(tmp_path / "eval.csv", rows)
    args = ["--model", str(complaint_model_file), "--data", str(data), "--text-column", "isi", "--label-column"]
    result = cli_run("classifier", "evaluate", *args, "kelas", "--positive", "complaint", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["n"] == 200 and figures["skipped"] == 2
    for name in ("precision", "recall", "f1", "roc_auc", "brier", "precision_at_recall_90"):
        assert 0 <= figures[name] <= 1, name
    assert figures["roc_auc"] > 0.8, "a model trained on 600 seed rows must rank the next 200 well"


def test_evaluate_without_positive_uses_the_label_the_model_was_trained_with(
    cli_run, complaint_model_file: Path, labelled_csv: Path
):
    args = ["--model", str(complaint_model_file), "--data", str(labelled_csv), "--text-column", "isi"]
    result = cli_run("classifier", "evaluate", *args, "--label-column", "kelas", "--json")
    figures = json.loads(result.stdout)
    assert figures["n"] == 600 and figures["recall"] > 0.9, "on its own training rows the model finds complaints"


def test_category_model_is_trained_on_joined_columns_and_evaluated_by_accuracy(cli_run, tmp_path: Path):
    rows = [
        {"judul": row["text"].split(",")[0], "isi": row["text"], "sektor": row["category"]}
        for row in seed_rows()
        if row["label"] == "complaint"
    ]
    data = write_csv(tmp_path / "sektor.csv", rows)
    out = tmp_path / "sektor.skops"
    columns = ["--data", str(data), "--text-column", "judul,isi", "--label-column", "sektor"]
    trained = cli_run("classifier", "train", "--task", "category", *columns, "--out", str(out))
    assert trained.exit_code == 0, trained.output
    model = load_model(out)
    assert model.task == CATEGORY_TASK and model.metadata.threshold is None
    assert "jalan_jembatan" in model.metadata.categories

    result = cli_run("classifier", "evaluate", "--model", str(out), *columns, "--json")
    figures = json.loads(result.stdout)
    assert set(figures) == {"n", "accuracy", "macro_f1", "skipped"}
    assert figures["n"] == len(rows) and figures["accuracy"] > 0.9
    with pytest.raises(ModelFileError, match="holds a category model; a complaint model is needed"):
        load_model(out, task=COMPLAINT_TASK)

    report = cli_run("classifier", "report", "--model", str(out), *columns, "--out", str(tmp_path / "report"))
    assert report.exit_code == 0, report.output
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "confusion.png" in page and "jalan_jembatan" in page


@pytest.mark.parametrize(
    "content, message",
    [
        ("teks,kelas\nhalo,lain\n", "no column named text"),
        (b"\xff\xfe\x00\x00binary", "cannot be read as a UTF-8 CSV file"),
    ],
)
def test_unusable_data_is_a_one_line_error(cli_run, complaint_model_file: Path, tmp_path: Path, content, message):
    data = tmp_path / "bad.csv"
    data.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = cli_run("classifier", "evaluate", "--model", str(complaint_model_file), "--data", str(data), "--json")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_a_missing_model_file_is_a_one_line_error(cli_run, labelled_csv: Path, tmp_path: Path):
    result = cli_run("classifier", "evaluate", "--model", str(tmp_path / "none.skops"), "--data", str(labelled_csv))
    assert result.exit_code == 1 and "no model file at" in result.stderr


def test_report_writes_html_with_charts_and_mistakes(cli_run, complaint_model_file: Path, tmp_path: Path):
    rows = [{"isi": row["text"], "kelas": row["label"]} for row in seed_rows()[600:900]]
    rows.append({"isi": "<script>alert('x')</script> jalan rusak parah tolong", "kelas": "other"})
    data = write_csv(tmp_path / "eval.csv", rows)
    out = tmp_path / "report"
    args = ["--model", str(complaint_model_file), "--data", str(data), "--text-column", "isi"]
    result = cli_run(
        "classifier", "report", *args, "--label-column", "kelas", "--positive", "complaint", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    for image in ("precision-recall.png", "calibration.png", "confusion.png"):
        assert (out / image).read_bytes().startswith(b"\x89PNG") and image in page
    assert "<script>" not in page
    assert load_model(complaint_model_file).version in page
