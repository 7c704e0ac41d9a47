"""``python -m cogtrain`` runs the command line."""
from cogtrain.cli import main

raise SystemExit(main())
