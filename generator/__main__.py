"""``python -m generator`` runs the ``mlprov`` command line."""

from __future__ import annotations

from generator.cli import main

raise SystemExit(main())
