"""A web worker serves every page without the model, the machine-learning stack or the platforms' client
libraries: those stay with the scheduler and the commands that score and collect (a worker carrying them
took 216 MB instead of about 100)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from satukanal.users.service import add_user

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "kata-sandi-panjang-sekali-2026"
HEAVY = ["sklearn", "scipy", "numpy", "skops", "classifier", "tweepy", "instagrapi", "requests", "PIL"]
PAGES = [
    "/antrean/",
    "/tiket/",
    "/tiket/ekspor.csv",
    "/dasbor/",
    "/sumber/",
    "/audit/",
    "/pemberitahuan/",
    "/publikasi/",
]

WORKER = textwrap.dedent(
    """
    import json, os, sys
    from satukanal.config.settings import load_settings
    from satukanal.web import create_app
    from satukanal.wiring import App

    pages, password = json.loads(sys.argv[1]), sys.argv[2]
    web = create_app(App(load_settings(environ=os.environ)), "k" * 48)
    web.config["WTF_CSRF_ENABLED"] = False
    client = web.test_client()
    answers = {"/masuk": client.post("/masuk", data={"username": "kepala", "password": password}).status_code}
    answers.update((page, client.get(page).status_code) for page in pages)
    delivery = client.post("/webhook/meta", data=b"{}", content_type="application/json").status_code
    print(json.dumps({"answers": answers, "webhook": delivery, "loaded": sorted(sys.modules)}))
    """
)


def test_pages_are_served_without_the_model_or_platform_libraries(busy_week, env):
    app = busy_week
    with app.sessions.begin() as session:
        add_user(session, app.settings, "kepala", "admin", PASSWORD, "tester")
    done = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(PAGES), PASSWORD],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["answers"] == {"/masuk": 302} | dict.fromkeys(PAGES, 200), "every page served"
    assert seen["webhook"] in (403, 404), "the webhook is refused unsigned (or is off), not crashed"
    loaded = {name.split(".")[0] for name in seen["loaded"]}
    assert loaded.isdisjoint(HEAVY), f"a web worker loaded {sorted(loaded & set(HEAVY))}"
