"""Learning from moderators: retrain on decisions, promote only what does not do worse, queue by uncertainty."""

import csv
import json
import random
import re
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select

from classifier import TrainingError, load_model, read_labelled_csv, save_model, seed_corpus_path
from classifier.metrics import binary_metrics
from classifier.splits import grouped_splits
from satukanal.classifier.learning import HISTORY_DIR, MIN_DECISIONS, decisions, retrain, worse_beyond_chance
from satukanal.config.sections import LEARNABLE_PLATFORMS
from satukanal.intake.service import store_records
from satukanal.models import AuditEntry, Post
from satukanal.review.service import confirm, queue, reject
from tests.factories import BASE_TIME, record
from tests.shared_files import shared_file


def store(app, texts: list[str], platform: str = "whatsapp") -> list[int]:
    """The texts stored as posts that came in on ``platform`` (by default one the model may learn from)."""
    records = [record(text=text, platform=platform) for text in texts]
    with app.sessions.begin() as session:
        store_records(session, records, "test", app.own_handles)
    app.score_pending()
    with app.sessions() as session:
        ids = dict(session.execute(select(Post.platform_id, Post.id)).all())
    return [ids[item.platform_id] for item in records]


def decide(app, post_ids: list[int], is_complaint: list[bool]) -> None:
    """Moderators decide the posts one after another, a minute apart."""
    for step, (post_id, complaint) in enumerate(zip(post_ids, is_complaint, strict=True)):
        at = BASE_TIME + timedelta(minutes=step)
        with app.sessions.begin() as session:
            if complaint:
                confirm(session, app.settings, post_id, "moderator", now=at)
            else:
                reject(session, post_id, "moderator", "bukan keluhan", now=at)


def seed_sample(count: int, seed: int = 7) -> tuple[list[str], list[bool]]:
    with seed_corpus_path().open(encoding="utf-8") as handle:
        rows = random.Random(seed).sample(list(csv.DictReader(handle)), count)
    return [f"{row['text']} #{n}" for n, row in enumerate(rows)], [row["label"] == "complaint" for row in rows]


@pytest.fixture
def config_file(tmp_path, seed_model):
    """The test's own copy of the default model, so that promotions stay inside the test."""
    save_model(seed_model, tmp_path / "models" / "complaint.skops")
    path = tmp_path / "satukanal.toml"
    path.write_text(
        f'data_dir = "{tmp_path}"\n\n[classifier]\nmodel_path = "{tmp_path / "models" / "complaint.skops"}"\n'
    )
    return path


@pytest.fixture
def own_model(app):
    return app.settings.classifier.model_path


def test_decisions_are_labelled_by_outcome_oldest_first(app):
    texts, labels = seed_sample(6)
    ids = store(app, texts)
    decide(app, ids, labels)
    with app.sessions() as session:
        found = decisions(session)
    assert [decision.post_id for decision in found] == ids
    assert [decision.label == "complaint" for decision in found] == labels
    confirmed = [decision for decision in found if decision.label == "complaint"]
    assert all(decision.category for decision in confirmed), "a confirmed post carries its ticket's category"


def test_retrain_needs_enough_decisions(app, own_model):
    texts, labels = seed_sample(MIN_DECISIONS - 1)
    decide(app, store(app, texts), labels)
    seed = read_labelled_csv(seed_corpus_path(), category_column="category")
    with pytest.raises(TrainingError, match=f"{MIN_DECISIONS - 1} moderator decisions to learn from so far"):
        retrain(app.sessions, seed, own_model, "tester", LEARNABLE_PLATFORMS)


@pytest.mark.slow
def test_retrain_promotes_a_model_that_is_not_worse_and_keeps_the_previous_one(app, own_model):
    texts, labels = seed_sample(63)
    ids = store(app, texts)
    decide(app, ids[:60], labels[:60])
    previous = load_model(own_model)

    seed = read_labelled_csv(seed_corpus_path(), category_column="category")
    outcome = retrain(app.sessions, seed, own_model, "tester", LEARNABLE_PLATFORMS)
    assert outcome.promoted and outcome.refusal is None
    assert outcome.held_out == 12 and outcome.training_decisions == 48
    assert outcome.candidate_metrics["f1"] >= outcome.current_metrics["f1"]
    promoted = load_model(own_model)
    assert promoted.version == outcome.candidate.version != previous.version
    history = own_model.parent / HISTORY_DIR
    assert (history / f"{previous.version}.skops").is_file() and (history / f"{previous.version}.json").is_file()
    assert load_model(history / f"{previous.version}.skops").version == previous.version
    with app.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "model.promote")).one()
    assert entry.before["version"] == previous.version and entry.after["version"] == promoted.version

    assert app.score_pending() == 3, "posts still waiting for a moderator are scored by the new model"
    with app.sessions() as session:
        stored = list(session.scalars(select(Post)))
        versions = {post.id: post.classification.model_version for post in stored}
        assert all(post.flagged is post.classification.flagged for post in stored), "the post's flag is its verdict"
    assert {versions[post_id] for post_id in ids[60:]} == {promoted.version}
    assert {versions[post_id] for post_id in ids[:60]} == {previous.version}, "decided posts keep their score"


@pytest.mark.slow
def test_a_candidate_worse_on_the_newest_decisions_is_refused(app, own_model):
    """Older decisions contradict the newest ones (say, a careless moderator): the candidate learns the wrong thing."""
    texts, labels = seed_sample(100)
    ids = store(app, texts)
    flipped = [not label for label in labels[:80]] + labels[80:]
    decide(app, ids, flipped)
    current = load_model(own_model)

    seed = read_labelled_csv(seed_corpus_path(), category_column="category")
    outcome = retrain(app.sessions, seed, own_model, "tester", LEARNABLE_PLATFORMS)
    assert not outcome.promoted
    assert "worse beyond chance" in outcome.refusal and outcome.candidate_metrics["f1"] < outcome.current_metrics["f1"]
    assert load_model(own_model).version == current.version, "the current model stays in place"
    assert (own_model.parent / HISTORY_DIR / f"{outcome.candidate.version}.skops").is_file(), "candidate kept"
    with app.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "model.keep")).one()
    said, worse = entry.after["comparison"], outcome.differences.worse
    assert said.startswith("dari 20 keputusan terbaru, model baru benar pada 0 ")
    assert f"salah pada {worse} yang benar menurut model lama: lebih buruk, bukan kebetulan" in said


def test_decisions_on_x_posts_are_never_learned_from_by_default(app, own_model):
    texts, labels = seed_sample(MIN_DECISIONS + 10)
    decide(app, store(app, texts[: MIN_DECISIONS - 5]), labels[: MIN_DECISIONS - 5])
    decide(app, store(app, texts[MIN_DECISIONS - 5 :], platform="x"), labels[MIN_DECISIONS - 5 :])
    seed = read_labelled_csv(seed_corpus_path(), category_column="category")

    with pytest.raises(TrainingError, match=f"{MIN_DECISIONS - 5} moderator decisions to learn from so far .15 more"):
        retrain(app.sessions, seed, own_model, "tester", LEARNABLE_PLATFORMS)
    assert "x" not in LEARNABLE_PLATFORMS and "instagram" not in LEARNABLE_PLATFORMS


@pytest.mark.slow
def test_retrain_says_what_it_left_out_and_why(app, own_model, cli_run):
    texts, labels = seed_sample(70)
    decide(app, store(app, texts[:60]), labels[:60])
    decide(app, store(app, texts[60:], platform="x"), labels[60:])

    result = cli_run("classifier", "retrain", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "trained on 48 decisions, compared on the 12 newest" in result.stdout, "the 10 X posts are not in it"
    assert "Left out 10 decisions on posts from x 10" in result.stdout and "classifier.learn_from" in result.stdout
    compared = re.search(r"On the 12 newest decisions the candidate gets (\d+) right .* and (\d+) wrong", result.stdout)
    assert compared and "not worse beyond chance." in result.stdout, result.stdout


@pytest.mark.slow
def test_retrain_command_reports_and_exits_nonzero_when_refused(app, own_model, cli_run):
    texts, labels = seed_sample(100)
    decide(app, store(app, texts), [not label for label in labels[:80]] + labels[80:])
    result = cli_run("classifier", "retrain")
    assert result.exit_code == 1
    assert "not promoted: of the 20 newest decisions" in result.stderr and "worse beyond chance" in result.stderr
    assert "On the 20 newest decisions the candidate gets 0 right that the current model gets wrong" in result.stdout
    figures = json.loads(result.stdout[result.stdout.index("{") :])
    assert figures["candidate"]["f1"] < figures["current"]["f1"]


def test_the_queue_can_put_the_most_uncertain_posts_first(app):
    texts, _ = seed_sample(40)
    store(app, texts)
    with app.sessions() as session:
        posts = queue(session, limit=100, flagged=None, order="uncertain")
        margins = [abs(post.classification.score - post.classification.threshold) for post in posts]
    assert len(posts) == 40 and margins == sorted(margins)


@pytest.mark.slow
def test_retraining_on_200_real_decisions_beats_the_default_model_on_unseen_real_posts(app, own_model):
    """What retraining learns, read on a fifth of the tweets it never saw. It is promoted: on the 40 newest
    decisions it is compared on, a difference of a few posts from the default model is within chance."""
    data = shared_file("data/mentions-labelled.csv")
    rows = read_labelled_csv(data)
    truth = np.array([label == "complaint" for label in rows.labels])
    train_part, test_part = grouped_splits(rows.texts, truth)[0]
    decided = random.Random(3).sample(sorted(train_part), 200)
    ids = store(app, [rows.texts[i] for i in decided])
    decide(app, ids, [bool(truth[i]) for i in decided])
    default = load_model(own_model)

    seed = read_labelled_csv(seed_corpus_path(), category_column="category")
    outcome = retrain(app.sessions, seed, own_model, "tester", LEARNABLE_PLATFORMS)
    assert outcome.promoted and outcome.held_out == 40

    unseen = [rows.texts[i] for i in test_part]
    before = binary_metrics(truth[test_part], default.complaint_scores(unseen), default.metadata.threshold)
    after_model = load_model(own_model)
    after = binary_metrics(truth[test_part], after_model.complaint_scores(unseen), after_model.metadata.threshold)
    assert after["f1"] > before["f1"], (before, after)


@pytest.mark.parametrize(
    ("worse", "better", "refused"),
    [(0, 0, False), (3, 5, False), (5, 3, False), (4, 0, False), (6, 0, True), (12, 0, True), (15, 5, True)],
)
def test_a_candidate_is_refused_only_when_worse_beyond_chance(worse, better, refused):
    """Decisions both models get right, or both wrong, say nothing; of the rest, a coin flip's spread is allowed."""
    assert worse_beyond_chance(worse, better) is refused
