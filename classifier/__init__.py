"""The classifier: flags complaint-like posts and suggests where they belong.

Public surface: train a ``ComplaintModel`` with ``train_model`` (complaint
detector and router) or ``train_category_model`` (router alone), measure it
with ``evaluate``, keep it with ``save_model`` / ``load_model`` (skops,
allow-listed types), and read training CSVs with ``read_labelled_csv``.
"""

from classifier.dataset import DatasetError, LabelledRows, read_labelled_csv, seed_corpus_path
from classifier.evaluation import Evaluation, evaluate
from classifier.model import (
    CATEGORY_TASK,
    COMPLAINT_TASK,
    ComplaintModel,
    ModelMetadata,
    Prediction,
    TrainingError,
)
from classifier.normalize import normalize_text
from classifier.storage import ModelFileError, load_model, save_model
from classifier.training import train_category_model, train_model

__all__ = [
    "CATEGORY_TASK",
    "COMPLAINT_TASK",
    "Evaluation",
    "evaluate",
    "train_category_model",
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
