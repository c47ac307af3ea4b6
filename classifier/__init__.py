"""The classifier: flags complaint-like posts and suggests where they belong.

Public surface: train a ``ComplaintModel`` with ``train_model``, keep it with
``save_model`` / ``load_model`` (skops, allow-listed types), and read
training CSVs with ``read_labelled_csv``.
"""

from classifier.dataset import DatasetError, LabelledRows, read_labelled_csv, seed_corpus_path
from classifier.model import ComplaintModel, ModelMetadata, Prediction, TrainingError, train_model
from classifier.normalize import normalize_text
from classifier.storage import ModelFileError, load_model, save_model

__all__ = [
    "ComplaintModel",
    "DatasetError",
    "LabelledRows",
    "ModelFileError",
    "ModelMetadata",
    "Prediction",
    "TrainingError",
    "load_model",
    "normalize_text",
    "read_labelled_csv",
    "save_model",
    "seed_corpus_path",
    "train_model",
]
