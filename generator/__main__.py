"""``python -m mlprov`` runs the ``mlprov`` command line."""

from __future__ import annotations

from mlprov.cli import main

raise SystemExit(main())
