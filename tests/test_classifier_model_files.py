"""Model files: skops only, allow-listed types, clear errors, and posts wait when no model loads."""

import json
import os
from pathlib import Path

import pytest
import skops.io as sio
from sqlalchemy import func, select

from classifier import ModelFileError, load_model, save_model
from classifier.storage import metadata_path
from satukanal.classifier.scoring import score_pending
from satukanal.intake.service import store_records
from satukanal.models import Classification
from tests.factories import record


def test_round_trip_keeps_predictions_and_metadata(seed_model, tmp_path: Path):
    path = tmp_path / "m.skops"
    save_model(seed_model, path)
    loaded = load_model(path)
    texts = ["banyu PDAM gak mili wes 3 dino", "terima kasih admin, sudah diperbaiki"]
    assert [p.score for p in loaded.predict(texts)] == [p.score for p in seed_model.predict(texts)]
    assert loaded.metadata == seed_model.metadata
    document = json.loads(metadata_path(path).read_text(encoding="utf-8"))
    assert {"version", "threshold", "fingerprint", "metrics", "created_at"} <= set(document)


def test_seed_model_separates_complaints_from_the_rest(seed_model):
    complaint, thanks = seed_model.predict(
        [
            "Min dalan nang Ds. Prunggahan bolong gede, wes sasi ora didandani",
            "Matur nuwun Pak, pelayanan Disdukcapil cepat",
        ]
    )
    assert complaint.flagged and not thanks.flagged
    assert complaint.category == "jalan_jembatan"
    assert len(complaint.suggestions) == 3
    assert seed_model.metadata.metrics["f1"] > 0.8


def test_a_file_that_would_run_code_is_refused(tmp_path: Path, seed_model):
    path = tmp_path / "evil.skops"
    save_model(seed_model, path)
    path.write_bytes(sio.dumps({"complaint": os.system, "category": None}))
    with pytest.raises(ModelFileError, match="untrusted types: .*system"):
        load_model(path)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "corrupt or not a skops file"),
        (lambda p: p.write_bytes(b""), "corrupt or not a skops file"),
        (lambda p: metadata_path(p).unlink(), "metadata .* is missing"),
        (lambda p: metadata_path(p).write_text("{]", encoding="utf-8"), "metadata .* is unreadable"),
        (lambda p: metadata_path(p).write_text('{"format": "other/9"}', encoding="utf-8"), "is not a satukanal"),
        (lambda p: p.unlink(), "no model file at"),
    ],
)
def test_damaged_or_missing_files_give_clear_errors(tmp_path: Path, seed_model, damage, message):
    path = tmp_path / "m.skops"
    save_model(seed_model, path)
    damage(path)
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_posts_wait_unscored_without_a_model_and_are_scored_when_it_is_back(unscored_app, seed_model):
    app = unscored_app
    with app.sessions.begin() as session:
        store_records(session, [record(id="1"), record(id="2")], "test", app.own_handles)
    assert app.model is None
    assert app.score_pending() == 0
    with app.sessions.begin() as session:
        assert score_pending(session, seed_model, None, app.settings.agency_for_category) == 2
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Classification)) == 2


def test_a_model_that_comes_back_is_picked_up_without_a_restart(unscored_app, seed_model):
    app = unscored_app
    with app.sessions.begin() as session:
        store_records(session, [record(id="1")], "test", app.own_handles)
    assert app.score_pending() == 0
    save_model(seed_model, app.settings.classifier.model_path)
    assert app.score_pending() == 1
    assert app.model is app.model


class _Trap:
    """Unpickling this would create a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickle_disguised_as_a_model_is_refused_without_running(tmp_path: Path, seed_model):
    import pickle

    path, marker = tmp_path / "m.skops", tmp_path / "ran"
    save_model(seed_model, path)
    path.write_bytes(pickle.dumps(_Trap(marker)))
    with pytest.raises(ModelFileError, match="corrupt or not a skops file"):
        load_model(path)
    assert not marker.exists()


def test_a_skops_file_whose_schema_names_another_function_is_refused(tmp_path: Path, seed_model):
    """Edit a genuine file so that the normalisation step would call ``os.system`` instead."""
    import zipfile

    path = tmp_path / "m.skops"
    save_model(seed_model, path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = members["schema.json"].decode()
    assert '"classifier.normalize"' in schema and '"normalize_texts"' in schema
    schema = schema.replace('"classifier.normalize"', '"os"').replace('"normalize_texts"', '"system"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in {**members, "schema.json": schema.encode()}.items():
            archive.writestr(name, data)
    with pytest.raises(ModelFileError, match="untrusted types: os.system"):
        load_model(path)


def test_a_default_model_from_an_older_version_is_replaced_but_a_damaged_one_is_left_alone(
    settings, seed_model, tmp_path: Path
):
    from dataclasses import replace

    from satukanal.wiring import App

    old, damaged = tmp_path / "old" / "complaint.skops", tmp_path / "damaged" / "complaint.skops"
    for path in (old, damaged):
        save_model(seed_model, path)
    metadata_path(old).write_text('{"format": "satukanal-complaint-model/1", "threshold": 0.5}', encoding="utf-8")
    damaged.write_bytes(b"not a model")

    rebuilt = App(
        replace(settings, classifier=settings.classifier.model_copy(update={"model_path": old}), bootstrap_model=True)
    )
    assert rebuilt.model is not None and rebuilt.model.version == seed_model.version
    rebuilt.close()
    left = App(
        replace(
            settings, classifier=settings.classifier.model_copy(update={"model_path": damaged}), bootstrap_model=True
        )
    )
    assert left.model is None and damaged.read_bytes() == b"not a model"
    left.close()
