"""``satukanal classifier``: train the complaint model."""

from __future__ import annotations

import json
from pathlib import Path

import click

from classifier import read_labelled_csv, save_model, train_model
from satukanal.cli.root import State, cli
from satukanal.wiring import train_seed_model


@cli.group("classifier")
def classifier_group() -> None:
    """The complaint model: train it on the seed corpus or on a labelled CSV."""


@classifier_group.command("train")
@click.option(
    "--data",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Labelled CSV (default: the bundled seed corpus).",
)
@click.option("--text-column", default="text", show_default=True)
@click.option("--label-column", default="label", show_default=True)
@click.option("--category-column", help="Column with the complaint category, to train the router too.")
@click.option("--positive", default="complaint", show_default=True, help="Label value that means a complaint.")
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), help="Model file (default: classifier.model_path)."
)
@click.pass_obj
def train(
    state: State,
    data: Path | None,
    text_column: str,
    label_column: str,
    category_column: str | None,
    positive: str,
    out: Path | None,
) -> None:
    """Train the complaint model and save it with skops, metadata beside it.

    Without --data it rebuilds the default model from the seed corpus we wrote.
    Scores are cross-validated on the training data and printed as JSON.
    """
    if data is None:
        model = train_seed_model()
    else:
        rows = read_labelled_csv(data, text_column, label_column, category_column)
        model = train_model(rows.texts, rows.labels, positive=positive, categories=rows.categories)
    out = out or state.settings.model_path
    save_model(model, out)
    click.echo(f"Saved model {model.version} to {out}")
    click.echo(json.dumps({"threshold": model.metadata.threshold, **model.metadata.metrics}, indent=2))
