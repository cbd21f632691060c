"""`python -m voice` is the `coach` command."""

from voice.cli import main

raise SystemExit(main())
