"""``satukanal classifier``: train, evaluate, report on and retrain the models.

The classifier (scikit-learn, skops, matplotlib for reports) is imported by
the commands that use it, so that it does not slow down every other command.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from satukanal.cli.root import State, cli

TASKS = ("complaint", "category")
"""``classifier.COMPLAINT_TASK`` and ``CATEGORY_TASK``, written out: importing them would import scikit-learn."""
DATA = click.Path(path_type=Path, dir_okay=False)


def _text_columns(_ctx, _param, value: str) -> list[str]:
    columns = [name.strip() for name in value.split(",") if name.strip()]
    if not columns:
        raise click.BadParameter("name at least one column")
    return columns


@contextmanager
def training_bar(steps: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on standard error while a model trains (a minute or more on real data); yields what
    training reports each finished step to."""
    with click.progressbar(length=steps, label="Melatih model", file=sys.stderr, show_eta=False) as bar:
        yield lambda step: bar.update(1)


def data_options(command):
    """``--data``, ``--text-column`` and ``--label-column``, shared by the commands that read a CSV."""
    command = click.option("--label-column", default="label", show_default=True)(command)
    command = click.option(
        "--text-column",
        default="text",
        show_default=True,
        callback=_text_columns,
        help="Column with the text; several, comma-separated (title,text), are joined.",
    )(command)
    return command


@cli.group("classifier")
def classifier_group() -> None:
    """The models: train, evaluate, report, and retrain on moderators' decisions."""


@classifier_group.command("train")
@click.option(
    "--task",
    type=click.Choice(TASKS),
    default=TASKS[0],
    show_default=True,
    help="complaint: complaint detector (+ router with --category-column); category: router alone.",
)
@click.option("--data", type=DATA, help="Labelled CSV (default: the bundled seed corpus).")
@data_options
@click.option("--category-column", help="Column with the complaint category, to train the router too.")
@click.option("--positive", default="complaint", show_default=True, help="Label value that means a complaint.")
@click.option("--out", type=DATA, help="Model file (default: classifier.model_path).")
@click.pass_obj
def train(
    state: State,
    task: str,
    data: Path | None,
    text_column: list[str],
    label_column: str,
    category_column: str | None,
    positive: str,
    out: Path | None,
) -> None:
    """Train a model and save it with skops, its metadata (.json) beside it.

    Without --data it rebuilds the default complaint model from the seed corpus we wrote.
    With --task category, --label-column names the category (e.g. sector).
    Figures from grouped cross-validation on the training data are printed as JSON.
    """
    from classifier import (
        CATEGORY_TASK,
        COMPLAINT_TASK,
        read_labelled_csv,
        save_model,
        train_category_model,
        train_model,
    )
    from classifier.default_model import train_seed_model
    from classifier.training import CATEGORY_STEPS, COMPLAINT_STEPS

    if data is None and task == CATEGORY_TASK:
        raise click.UsageError("--task category needs --data")
    with training_bar(CATEGORY_STEPS if task == CATEGORY_TASK else COMPLAINT_STEPS) as progress:
        if data is None:
            model = train_seed_model(progress)
        elif task == CATEGORY_TASK:
            rows = read_labelled_csv(data, text_column, label_column)
            model = train_category_model(rows.texts, rows.labels, progress=progress)
        else:
            rows = read_labelled_csv(data, text_column, label_column, category_column)
            model = train_model(
                rows.texts, rows.labels, positive=positive, categories=rows.categories, progress=progress
            )
    out = out or state.settings.classifier.model_path
    save_model(model, out)
    click.echo(f"Saved {model.task} model {model.version} to {out}")
    figures = {"threshold": model.metadata.threshold, **model.metadata.metrics}
    if model.metadata.category_metrics and model.task == COMPLAINT_TASK:
        figures["router"] = model.metadata.category_metrics
    click.echo(json.dumps(figures, indent=2))


@classifier_group.command("evaluate")
@click.option("--model", "model_path", type=DATA, required=True, help="Model file to evaluate.")
@click.option("--data", type=DATA, required=True, help="Labelled CSV.")
@data_options
@click.option("--positive", help="Label value that means a complaint (default: the one the model was trained with).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def evaluate_command(
    model_path: Path, data: Path, text_column: list[str], label_column: str, positive: str | None, as_json: bool
) -> None:
    """Measure a model on a labelled CSV; rows with an empty label are skipped and counted.

    Complaint models: n, precision, recall, f1, roc_auc, brier, precision_at_recall_90
    at the model's threshold. Category models: n, accuracy, macro_f1.
    """
    from classifier import evaluate, load_model, read_labelled_csv

    result = evaluate(load_model(model_path), read_labelled_csv(data, text_column, label_column), positive)
    if as_json:
        click.echo(json.dumps(result.metrics))
        return
    for name, value in result.metrics.items():
        click.echo(f"{name:<24} {value if value is not None else 'n/a'}")


@classifier_group.command("report")
@click.option("--model", "model_path", type=DATA, required=True, help="Model file to report on.")
@click.option("--data", type=DATA, required=True, help="Labelled CSV.")
@data_options
@click.option("--positive", help="Label value that means a complaint (default: the one the model was trained with).")
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Directory for the report."
)
def report(
    model_path: Path, data: Path, text_column: list[str], label_column: str, positive: str | None, out: Path
) -> None:
    """Write an HTML report: precision-recall curve, calibration, confusion matrix, worst mistakes."""
    from classifier import COMPLAINT_TASK, evaluate, load_model, read_labelled_csv
    from classifier.report import write_category_report, write_complaint_report

    model = load_model(model_path)
    result = evaluate(model, read_labelled_csv(data, text_column, label_column), positive)
    common = {"model_version": model.version, "data_name": data.name, "texts": result.texts, "metrics": result.metrics}
    try:
        if result.task == COMPLAINT_TASK:
            index = write_complaint_report(
                out, truth=result.truth, scores=result.scores, threshold=model.metadata.threshold, **common
            )
        else:
            index = write_category_report(
                out, truth=list(result.truth), predicted=list(result.predicted), confidence=result.scores, **common
            )
    except ValueError as exc:
        raise click.ClickException(f"cannot report on {data}: {exc}") from None
    click.echo(f"Report written to {index}")


@classifier_group.command("retrain")
@click.option("--dry-run", is_flag=True, help="Train and compare, but keep the current model.")
@click.pass_obj
def retrain_command(state: State, dry_run: bool) -> None:
    """Retrain on the seed corpus plus moderators' decisions; promote only if not worse.

    Only decisions on posts from the platforms in classifier.learn_from are learned from
    (by default those people use to write to the office directly; never X, whose terms
    forbid training on its data); the output says how many were left out.

    The newest 20 % of decisions are held out; the candidate is promoted unless, of those
    the two models decide differently, it gets more wrong beyond chance (a sign test).
    Every candidate is kept in the history folder beside the model file, and so is the
    model it replaces.
    """
    from classifier import read_labelled_csv, seed_corpus_path
    from classifier.training import COMPLAINT_STEPS
    from satukanal.classifier.learning import retrain

    app = state.app()
    seed = read_labelled_csv(seed_corpus_path(), category_column="category")
    learn_from = app.settings.classifier.learn_from
    with training_bar(COMPLAINT_STEPS) as progress:
        result = retrain(
            app.sessions,
            seed,
            app.settings.classifier.model_path,
            state.actor,
            learn_from,
            promote=not dry_run,
            progress=progress,
        )
    click.echo(
        f"Candidate {result.candidate.version}: trained on {result.training_decisions} decisions, "
        f"compared on the {result.held_out} newest (posts from {', '.join(learn_from)})."
    )
    if result.left_out:
        counts = ", ".join(f"{platform} {number}" for platform, number in result.left_out.items())
        click.echo(
            f"Left out {sum(result.left_out.values())} decisions on posts from {counts}: those platforms' terms "
            "do not allow training on their posts (X's developer guidelines forbid it); classifier.learn_from "
            "names the platforms learned from."
        )
    if result.differences is not None:
        differences = result.differences
        click.echo(
            f"On the {result.held_out} newest decisions the candidate gets {differences.better} right that the current "
            f"model gets wrong and {differences.worse} wrong that it gets right"
            + ("." if differences.worse_beyond_chance else ": not worse beyond chance.")
        )
    click.echo(json.dumps({"candidate": result.candidate_metrics, "current": result.current_metrics}, indent=2))
    if result.promoted:
        click.echo(
            f"Promoted to {app.settings.classifier.model_path}; previous model: {result.current_version or 'none'}."
        )
        click.echo(f"Scored {app.score_pending()} posts waiting for review again with the new model.")
    elif result.refusal:
        raise click.ClickException(f"not promoted: {result.refusal}")
    else:
        click.echo("Dry run: the current model stays.")
