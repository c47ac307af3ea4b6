"""``python -m satukanal``: the same command line as ``satukanal``."""

from satukanal.cli import main

main()
