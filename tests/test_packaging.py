"""The installed package is the whole application: ``pip install .`` ships every package folder and its data."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTED_ROOTS = ("satukanal", "monitor", "classifier", "publisher")


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_folder_is_listed_for_installation():
    setuptools = _setuptools()
    moved = {folder: package for package, folder in setuptools.get("package-dir", {}).items()}
    found = set()
    for init in ROOT.glob("*/**/__init__.py"):
        folder = init.parent.relative_to(ROOT).as_posix()
        top = folder.split("/")[0]
        if top in LISTED_ROOTS:
            found.add(folder.replace("/", "."))
        elif top in moved:
            found.add(moved[top] + folder.removeprefix(top).replace("/", "."))
    missing = sorted(found - set(setuptools["packages"]))
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
