"""perfmod: a native binary; this package only lets `python -m perfmod` run it."""
