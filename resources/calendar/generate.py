"""Developer tool: regenerate cn_workdays.json from the chinesecalendar package.

Run by hand after upgrading chinesecalendar: ``python -m resources.calendar.generate``.
The application never imports chinesecalendar; it reads the JSON this script writes.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.metadata import version
from pathlib import Path

from chinese_calendar.constants import Holiday, holidays, workdays

OUTPUT = Path(__file__).with_name("cn_workdays.json")


def _chinese_name(english: str) -> str:
    return str(Holiday(english).chinese)


def build(today: dt.date) -> dict[str, object]:
    """Return the calendar document: metadata, holidays and make-up working days (调休)."""
    first = min(holidays).year
    last = max(holidays).year
    return {
        "source": f"State Council General Office notices, via chinesecalendar {version('chinesecalendar')}",
        "generated": today.isoformat(),
        "years": list(range(first, last + 1)),
        "holidays": [
            {"date": day.isoformat(), "name": _chinese_name(name)} for day, name in sorted(holidays.items())
        ],
        "workdays": [
            {"date": day.isoformat(), "name": _chinese_name(name)} for day, name in sorted(workdays.items())
        ],
    }


def render(document: dict[str, object]) -> str:
    """JSON with one record per line, so a new year's notice reads as a short diff."""
    lines = ["{"]
    items = list(document.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            records = ",\n".join(f"    {json.dumps(record, ensure_ascii=False)}" for record in value)
            lines.append(f"  {json.dumps(key)}: [\n{records}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    document = build(dt.date.today())
    text = render(document)
    assert json.loads(text) == document
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.name}: {document['years']}")


if __name__ == "__main__":
    main()
