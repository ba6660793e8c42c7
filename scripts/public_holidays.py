"""Write planner/data/public_holidays_nl.json: the Dutch public holidays of every year the planner accepts.

The holidays library is the source; the file only spares every process the library's start-up (it loads the
calendars of all countries, about a tenth of a second). tests/domain/test_workdays.py fails when the file and
the installed library disagree: run this script again after upgrading the library.

Run: .venv/bin/python scripts/public_holidays.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.domain.dates import FIRST_DATE, LAST_DATE  # noqa: E402
from planner.domain.workdays import PUBLIC_HOLIDAYS_FILE, library_public_holidays  # noqa: E402


def main() -> None:
    years = {str(year): {day.isoformat(): name for day, name in sorted(library_public_holidays(year).items())}
             for year in range(FIRST_DATE.year, LAST_DATE.year + 1)}
    PUBLIC_HOLIDAYS_FILE.write_text(json.dumps(years, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                                    encoding="utf-8")
    print(f"{PUBLIC_HOLIDAYS_FILE}: {len(years)} years")


if __name__ == "__main__":
    main()
