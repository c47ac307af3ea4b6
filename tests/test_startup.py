"""Short commands start fast: the command line imports the heavy libraries only in the commands that use them."""

import subprocess
import sys
from importlib import import_module

from classifier import CATEGORY_TASK, COMPLAINT_TASK
from satukanal.cli.classifier import TASKS
from satukanal.cli.root import USER_ERRORS
from satukanal.db import head_revision
from satukanal.migrations import HEAD

HEAVY = ("sklearn", "tweepy", "instagrapi", "PIL", "matplotlib", "gunicorn", "skops", "apprise", "holidays")


def test_the_command_line_imports_no_heavy_library():
    probe = f"import satukanal.cli; import sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_every_user_error_names_an_exception_class():
    for name in USER_ERRORS:
        module, _, attribute = name.rpartition(".")
        assert issubclass(getattr(import_module(module), attribute), Exception), name


def test_the_classifier_commands_offer_the_tasks_model_files_record():
    assert TASKS == (COMPLAINT_TASK, CATEGORY_TASK)


def test_the_schema_check_expects_the_newest_migration():
    assert HEAD == head_revision(), f"set HEAD in satukanal/migrations/__init__.py to {head_revision()!r}"


def test_every_name_the_publisher_offers_resolves_on_first_use():
    import publisher

    for name in publisher.__all__:
        assert getattr(publisher, name) is not None, name
