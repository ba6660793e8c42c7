"""`python -m planner.cli`: the same as the `planner` command (used by `planner run` for its scheduler)."""

from planner.cli import main

main()
