"""Learning from moderators: retrain on their decisions, promote only a model that does not do worse.

Every confirmed post is a complaint (with its ticket's category), every
rejected one is not. The newest decisions are held out; the candidate is
trained on the seed corpus plus the older decisions, which weigh more than
seed examples, and is compared with the current model on the held-out slice.
That slice is small (40 decisions of 200), so "worse" means worse beyond
chance: of the held-out decisions the two models decide differently, the
candidate gets so many more wrong that a coin would do so less than one
time in twenty (an exact one-sided sign test, McNemar's). Refusing whenever
its F1 there was lower refused, in a third to half of the samples of 200
real decisions tried, a candidate that was better on the posts neither had
seen (README, "Learning from moderators").
Promotion keeps the previous model in the history folder beside the model
file, so a bad promotion can be rolled back by hand.

Only decisions on posts from the platforms in ``classifier.learn_from`` are
learned from (by default the channels people use to write to the office
directly): X's developer guidelines name "using X data to train ML models"
as unauthorised use, and other platforms' terms are for the office to settle
before they are added. The rest are counted, so ``retrain`` can say what it
left out and why.
"""

from __future__ import annotations

import math
import shutil
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from scipy.stats import binomtest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from classifier import (
    ComplaintModel,
    LabelledRows,
    ModelFileError,
    TrainingError,
    load_model,
    save_model,
    train_model,
)
from classifier.metrics import binary_metrics
from classifier.model import COMPLAINT_TASK
from classifier.storage import metadata_path
from satukanal import audit
from satukanal.models import Post, ReviewDecision, Ticket, TicketPost

COMPLAINT, NOT_COMPLAINT = "complaint", "other"
DECISION_WEIGHT = 3.0
HOLDOUT_SHARE = 0.2
MIN_DECISIONS = 40
WORSE_BEYOND_CHANCE = 0.05
"""How unlikely by chance the candidate's extra errors on the held-out decisions must be for it to be refused."""
HISTORY_DIR = "history"


@dataclass(frozen=True)
class Decision:
    post_id: int
    text: str
    label: str
    category: str | None
    decided_at: datetime
    platform: str


@dataclass
class RetrainResult:
    candidate: ComplaintModel
    current_version: str | None
    promoted: bool
    training_decisions: int
    held_out: int
    candidate_metrics: dict[str, float]
    current_metrics: dict[str, float] | None
    left_out: dict[str, int]
    """Decisions not learned from, by the platform whose terms keep their posts out of training."""
    differences: Differences | None = None
    """Where the candidate and the current model decide the held-out decisions differently (None: no current)."""

    @property
    def refusal(self) -> str | None:
        """Why the candidate must not replace the current model (it is worse beyond chance), or None when it may."""
        found = self.differences
        if found is None or not found.worse_beyond_chance:
            return None
        return (
            f"of the {self.held_out} newest decisions it gets {found.worse} wrong that the current model gets right, "
            f"and only {found.better} right that it gets wrong: worse beyond chance"
        )


@dataclass(frozen=True)
class Differences:
    """Of the held-out decisions the two models decide differently: how many only the candidate gets wrong
    (``worse``) and how many only the candidate gets right (``better``)."""

    worse: int
    better: int

    @property
    def worse_beyond_chance(self) -> bool:
        return worse_beyond_chance(self.worse, self.better)

    def words(self, held_out: int) -> str:
        """The comparison as the audit log shows it to staff, in Indonesian."""
        verdict = "lebih buruk, bukan kebetulan" if self.worse_beyond_chance else "tidak lebih buruk di luar kebetulan"
        return (
            f"dari {held_out} keputusan terbaru, model baru benar pada {self.better} yang salah menurut model lama "
            f"dan salah pada {self.worse} yang benar menurut model lama: {verdict}"
        )


def decisions(session: Session) -> list[Decision]:
    """Every decided post labelled by its outcome, oldest decision first."""
    latest = (
        select(ReviewDecision.post_id, func.max(ReviewDecision.decided_at).label("decided_at"))
        .group_by(ReviewDecision.post_id)
        .subquery()
    )
    rows = session.execute(
        select(Post.id, Post.text, Post.review_status, Ticket.category, latest.c.decided_at, Post.platform)
        .join(latest, latest.c.post_id == Post.id)
        .outerjoin(TicketPost, TicketPost.post_id == Post.id)
        .outerjoin(Ticket, Ticket.id == TicketPost.ticket_id)
        .where(Post.review_status.in_(("confirmed", "rejected")))
        .order_by(latest.c.decided_at, Post.id)
    )
    return [
        Decision(post_id, text, COMPLAINT, category, decided_at, platform)
        if status == "confirmed"
        else Decision(post_id, text, NOT_COMPLAINT, None, decided_at, platform)
        for post_id, text, status, category, decided_at, platform in rows
    ]


def retrain(
    sessions: sessionmaker[Session],
    seed: LabelledRows,
    model_path: Path,
    actor: str,
    learn_from: Collection[str],
    promote: bool = True,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> RetrainResult:
    """Train a candidate on the seed corpus and older decisions on posts from ``learn_from``; promote it unless
    it does worse on the newest."""
    with sessions() as session:
        every = decisions(session)
    decided = [decision for decision in every if decision.platform in learn_from]
    left_out = Counter(decision.platform for decision in every if decision.platform not in learn_from)
    if len(decided) < MIN_DECISIONS:
        skipped = f" ({sum(left_out.values())} more on platforms not learned from)" if left_out else ""
        raise TrainingError(
            f"{len(decided)} moderator decisions to learn from so far{skipped}; retraining needs at least "
            f"{MIN_DECISIONS}"
        )
    cut = len(decided) - max(math.ceil(HOLDOUT_SHARE * len(decided)), 1)
    learned, held_out = decided[:cut], decided[cut:]
    truth = np.array([decision.label == COMPLAINT for decision in held_out])
    if truth.all() or not truth.any():
        raise TrainingError(
            f"the {len(held_out)} newest decisions, held out to compare models, are all of one kind; "
            "retrain once moderators have both confirmed and rejected recent posts"
        )

    seed_categories = seed.categories or [None] * len(seed.texts)
    candidate = train_model(
        [*seed.texts, *(decision.text for decision in learned)],
        [*seed.labels, *(decision.label for decision in learned)],
        positive=COMPLAINT,
        categories=[*seed_categories, *(decision.category for decision in learned)],
        weights=[1.0] * len(seed.texts) + [DECISION_WEIGHT] * len(learned),
        seed_rows=[True] * len(seed.texts) + [False] * len(learned),
        now=now,
        progress=progress,
    )
    texts = [decision.text for decision in held_out]
    candidate_metrics, candidate_right = _judged(candidate, texts, truth)
    current = _current_model(model_path)
    current_metrics, differences = None, None
    if current is not None:
        current_metrics, current_right = _judged(current, texts, truth)
        differences = Differences(
            worse=int((current_right & ~candidate_right).sum()), better=int((candidate_right & ~current_right).sum())
        )
    result = RetrainResult(
        candidate=candidate,
        current_version=current.version if current is not None else None,
        promoted=promote and not (differences is not None and differences.worse_beyond_chance),
        training_decisions=len(learned),
        held_out=len(held_out),
        candidate_metrics=candidate_metrics,
        current_metrics=current_metrics,
        left_out=dict(sorted(left_out.items())),
        differences=differences,
    )
    history = model_path.parent / HISTORY_DIR
    save_model(candidate, history / f"{candidate.version}.skops")
    if result.promoted:
        if current is not None:
            _archive(model_path, history / f"{current.version}.skops")
        save_model(candidate, model_path)
    with sessions.begin() as session:
        audit.record_event(
            session,
            actor,
            "model.promote" if result.promoted else "model.keep",
            "model",
            candidate.version,
            {"version": result.current_version, "held_out": current_metrics},
            {
                "version": candidate.version,
                "held_out": candidate_metrics,
                "comparison": differences.words(len(texts)) if differences is not None else None,
            },
            now,
        )
    return result


def _judged(model: ComplaintModel, texts: Sequence[str], truth: np.ndarray) -> tuple[dict[str, float], np.ndarray]:
    """``model`` on the held-out decisions, scored once: its metrics, and which decisions it gets right."""
    scores = model.complaint_scores(texts)
    threshold = model.metadata.threshold
    return binary_metrics(truth, scores, threshold), (scores >= threshold) == truth


def worse_beyond_chance(worse: int, better: int) -> bool:
    """Whether a model that gets ``worse`` decisions wrong that another gets right, and ``better`` right that the
    other gets wrong, is worse than it beyond chance (the decisions both get right or both wrong say nothing)."""
    return worse > better and bool(binomtest(worse, worse + better, alternative="greater").pvalue < WORSE_BEYOND_CHANCE)


def _current_model(path: Path) -> ComplaintModel | None:
    """The model in use, or None when there is none that loads (any candidate is then better)."""
    try:
        return load_model(path, task=COMPLAINT_TASK)
    except ModelFileError:
        return None


def _archive(model_path: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(model_path, target)
    shutil.copy2(metadata_path(model_path), metadata_path(target))
