"""Two steps of `scripts/mutation.sh` on a cosmic-ray session (see README, "Mutation testing").

    mutation_session.py skip-annotations SESSION   mark the mutants inside type annotations as skipped
    mutation_session.py score SESSION              killed, survived, skipped and the score, in one line

cosmic-ray mutates operators inside annotations too (`int | None` as `int & None`, ...). In a module that starts
with `from __future__ import annotations`, Python never evaluates an annotation, so no test can tell such a mutant
from the original: it is equivalent by construction (mutmut does not make them at all). They are marked skipped
before the run, so no time goes to them, and the score leaves them out. In a module without that import they are
left alone (a signature's annotations are evaluated when the function is defined).

`cr-report` counts a skipped mutant as killed; `score` does not: killed / (all - skipped).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

REASON = "inside a type annotation, which `from __future__ import annotations` leaves unevaluated"


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The (start, end) positions of every annotation, as (line, column in characters) like cosmic-ray's."""
    tree = ast.parse(source)
    lines = source.splitlines()

    def position(line: int, byte_column: int) -> tuple[int, int]:
        # ast counts columns in UTF-8 bytes, cosmic-ray (parso) in characters
        return line, len(lines[line - 1].encode("utf-8")[:byte_column].decode("utf-8"))

    spans = []
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, ast.arg):
            annotations.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            annotations.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        for annotation in annotations:
            if annotation is not None:
                spans.append((position(annotation.lineno, annotation.col_offset),
                              position(annotation.end_lineno, annotation.end_col_offset)))
    return spans


def postponed_annotations(source: str) -> bool:
    tree = ast.parse(source)
    return any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
               and any(alias.name == "annotations" for alias in node.names) for node in tree.body)


def skip_annotations(db: WorkDB) -> int:
    spans_of: dict[Path, list] = {}
    skipped = []
    for item in db.pending_work_items:
        for mutation in item.mutations:
            path = Path(mutation.module_path)
            if path not in spans_of:
                source = path.read_text(encoding="utf-8")
                spans_of[path] = annotation_spans(source) if postponed_annotations(source) else []
            if any(start <= tuple(mutation.start_pos) and tuple(mutation.end_pos) <= end
                   for start, end in spans_of[path]):
                skipped.append(item.job_id)
                break
    if skipped:
        db.set_multiple_results(skipped, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=REASON))
    return len(skipped)


def score(db: WorkDB) -> str:
    counts = {"killed": 0, "survived": 0, "skipped": 0}
    for _, result in db.results:
        if result.worker_outcome == WorkerOutcome.SKIPPED:
            counts["skipped"] += 1
        elif result.test_outcome == TestOutcome.SURVIVED:
            counts["survived"] += 1
        else:
            counts["killed"] += 1
    measured = counts["killed"] + counts["survived"]
    pending = db.num_work_items - db.num_results
    rate = f"{100 * counts['killed'] / measured:.1f} %" if measured else "-"
    return (f"killed {counts['killed']} of {measured} ({rate}); skipped in annotations {counts['skipped']}"
            + (f"; not yet run {pending}" if pending else ""))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("skip-annotations", "score"):
        print(__doc__, file=sys.stderr)
        return 2
    command, session = argv
    with use_db(session, WorkDB.Mode.open) as db:
        if command == "skip-annotations":
            print(f"{skip_annotations(db)} mutants inside type annotations skipped")
        else:
            print(score(db))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
