"""Refresh the desk's English translation: extract the strings, reuse known translations, compile.

Usage (from the repository root)::

    .venv/bin/python -m resources.i18n.update            # refresh onewindow_en.ts, build onewindow_en.qm
    .venv/bin/python -m resources.i18n.update --list     # also print the unfinished messages as JSON
    .venv/bin/python -m resources.i18n.update --apply new.json   # write translations into the .ts, rebuild

How it works, and where to edit:

1. ``pyside6-lupdate`` (next to the running interpreter) reads every ``.py`` under ``desktop/`` except
   ``desktop/sync/`` (no Qt there) and refreshes ``onewindow_en.ts``: new strings arrive unfinished,
   existing translations are kept, strings gone from the code stay as "vanished" entries, so a string
   that moves to another context can take its translation back.
2. An unfinished message whose source text has exactly one finished translation elsewhere in the
   .ts takes it; a vanished entry's translation wins (it is most likely the same string, moved to
   another context).
3. ``pyside6-lrelease`` compiles ``onewindow_en.qm`` from the finished messages.

The translations live in ``onewindow_en.ts``: it is the source of truth. Edit it with Qt Linguist
(``pyside6-linguist``) or by hand, or write a JSON file for ``--apply``: either an object mapping a
source text to its translation, or a list of ``{"context": ..., "source": ..., "translation": ...}``
(context optional). A message with ``%n`` takes a list ``[singular, plural]``. Then run the script
again. Chinese is the source language of every ``tr()`` string, so the extractor only sees literal
strings: mark a string kept in a table with ``QT_TRANSLATE_NOOP("Context", "文本")`` and translate it at
use with ``QCoreApplication.translate("Context", text)`` (or ``self.tr(text)`` inside that class).

tests/desktop/test_i18n.py fails when a string in the code has no finished translation here.
The script is idempotent: running it twice leaves both files as they were.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS_PATH = HERE / "onewindow_en.ts"
QM_PATH = HERE / "onewindow_en.qm"
SOURCE_LANGUAGE = "zh_CN"
TARGET_LANGUAGE = "en"
# Parts of desktop/ that hold no Qt strings (desktop/sync is Qt-free by the architecture rule).
EXCLUDED = ("sync",)


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    numerus: bool
    translations: tuple[str, ...]  # one entry, or one per plural form
    kind: str  # "" (finished), "unfinished", "vanished" or "obsolete"
    location: str  # "file:line" of the first use, when the .ts records it

    @property
    def finished(self) -> bool:
        return self.kind == "" and bool(self.translations) and all(t.strip() for t in self.translations)


def tool(name: str) -> str:
    """A Qt tool from the running virtualenv (its scripts sit next to the interpreter)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found next to {sys.executable} nor on PATH")
    return found


def source_files(root: Path = ROOT) -> list[Path]:
    """Every .py under desktop/ that may call tr(), in a stable order."""
    desktop = root / "desktop"
    return sorted(p for p in desktop.rglob("*.py")
                  if p.relative_to(desktop).parts[0] not in EXCLUDED and "__pycache__" not in p.parts)


def extract(ts: Path, files: Iterable[Path], *, locations: str = "relative") -> None:
    """Run lupdate: add new strings to `ts` (created if missing), keep translations, mark vanished ones."""
    command = [tool("pyside6-lupdate"), "-silent", "-locations", locations,
               "-source-language", SOURCE_LANGUAGE, "-target-language", TARGET_LANGUAGE,
               *(str(f) for f in files), "-ts", str(ts)]
    subprocess.run(command, check=True, capture_output=True, text=True)


def compile_qm(ts: Path = TS_PATH, qm: Path = QM_PATH) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True, capture_output=True, text=True)


def _message_elements(root: ET.Element) -> Iterator[tuple[str, ET.Element]]:
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield name, message


def _to_message(context: str, element: ET.Element, last_file: str = "") -> Message:
    translation = element.find("translation")
    numerus = element.get("numerus") == "yes"
    texts: tuple[str, ...] = ()
    kind = ""
    if translation is not None:
        kind = translation.get("type", "")
        if numerus:
            texts = tuple(form.text or "" for form in translation.iter("numerusform"))
        else:
            texts = (translation.text or "",)
    location = element.find("location")
    where = ""
    if location is not None:  # relative locations name the file only when it changes
        where = f"{location.get('filename') or last_file}:{location.get('line', '')}"
    return Message(context, element.findtext("source") or "", numerus, texts, kind, where)


def read_messages(ts: Path = TS_PATH) -> list[Message]:
    root = ET.parse(ts).getroot()
    messages: list[Message] = []
    last_file = ""
    for context, element in _message_elements(root):
        message = _to_message(context, element, last_file)
        last_file = message.location.rpartition(":")[0] or last_file
        messages.append(message)
    return messages


def unfinished(ts: Path = TS_PATH) -> list[Message]:
    """Messages still used by the code that have no finished translation."""
    return [m for m in read_messages(ts) if m.kind not in ("vanished", "obsolete") and not m.finished]


def _set_translation(element: ET.Element, texts: Sequence[str]) -> None:
    translation = element.find("translation")
    if translation is None:
        translation = ET.SubElement(element, "translation")
    if translation.get("type") == "unfinished":
        del translation.attrib["type"]
    if element.get("numerus") == "yes":
        forms = list(translation.iter("numerusform"))
        for form in forms:
            translation.remove(form)
        translation.text = None
        for text in texts:
            ET.SubElement(translation, "numerusform").text = text
    else:
        translation.text = texts[0]


def _write(root: ET.Element, ts: Path) -> None:
    # ElementTree drops the doctype; lupdate's next pass restores its own layout and escaping.
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def fill_same_text(ts: Path = TS_PATH) -> int:
    """Give an unfinished message the one finished translation its source text has elsewhere.

    A vanished entry with that text wins over live ones: it is most likely the same string, moved.
    """
    root = ET.parse(ts).getroot()
    moved: dict[tuple[str, bool], set[tuple[str, ...]]] = {}
    live: dict[tuple[str, bool], set[tuple[str, ...]]] = {}
    for context, element in _message_elements(root):
        message = _to_message(context, element)
        if message.translations and all(t.strip() for t in message.translations) and message.kind != "unfinished":
            known = moved if message.kind in ("vanished", "obsolete") else live
            known.setdefault((message.source, message.numerus), set()).add(message.translations)
    filled = 0
    for context, element in _message_elements(root):
        message = _to_message(context, element)
        if message.kind != "unfinished":
            continue
        key = (message.source, message.numerus)
        for candidates in (moved.get(key, set()), moved.get(key, set()) | live.get(key, set())):
            if len(candidates) == 1:
                _set_translation(element, next(iter(candidates)))
                filled += 1
                break
    if filled:
        _write(root, ts)
    return filled


def _normalise(entries: object) -> list[tuple[str | None, str, list[str]]]:
    """JSON from --apply as (context or None, source, translations)."""
    rows: list[tuple[str | None, str, list[str]]] = []
    items = entries.items() if isinstance(entries, dict) else None
    if items is not None:
        for source, translation in items:
            rows.append((None, source, translation if isinstance(translation, list) else [translation]))
        return rows
    if not isinstance(entries, list):
        raise ValueError("translations must be a JSON object or a list of objects")
    for entry in entries:
        translation = entry["translation"]
        rows.append((entry.get("context"), entry["source"], translation if isinstance(translation, list) else
                     [translation]))
    return rows


def apply_translations(entries: object, ts: Path = TS_PATH) -> tuple[int, list[str]]:
    """Write translations into the .ts; returns how many messages changed and which sources matched none."""
    rows = _normalise(entries)
    root = ET.parse(ts).getroot()
    elements = list(_message_elements(root))
    changed = 0
    unmatched: list[str] = []
    for context, source, texts in rows:
        if not all(isinstance(t, str) and t.strip() for t in texts):
            raise ValueError(f"empty translation for {source!r}")
        hits = [e for c, e in elements if e.findtext("source") == source and (context is None or c == context)]
        if not hits:
            unmatched.append(source)
        for element in hits:
            numerus = element.get("numerus") == "yes"
            if numerus != (len(texts) > 1):
                raise ValueError(f"{source!r}: a %n message takes [singular, plural], any other one string")
            _set_translation(element, texts)
            changed += 1
    if changed:
        _write(root, ts)
    return changed, unmatched


def update(ts: Path = TS_PATH, qm: Path = QM_PATH, root: Path = ROOT) -> list[Message]:
    """Extract, reuse known translations, compile; returns the messages still unfinished."""
    files = source_files(root)
    extract(ts, files)
    if fill_same_text(ts):
        extract(ts, files)
    compile_qm(ts, qm)
    return unfinished(ts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m resources.i18n.update", description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the unfinished messages as JSON")
    parser.add_argument("--apply", type=Path, metavar="JSON", help="write these translations into the .ts first")
    args = parser.parse_args(argv)
    if args.apply is not None:
        extract(TS_PATH, source_files())
        changed, unmatched = apply_translations(json.loads(args.apply.read_text(encoding="utf-8")))
        print(f"applied {changed} translation(s)")
        for source in unmatched:
            print(f"no message with source {source!r}", file=sys.stderr)
    missing = update()
    total = sum(1 for m in read_messages() if m.kind not in ("vanished", "obsolete"))
    print(f"{TS_PATH.name}: {total} message(s), {len(missing)} unfinished; wrote {QM_PATH.name}")
    if args.list:
        print(json.dumps([{"context": m.context, "source": m.source, "numerus": m.numerus,
                           "suggestion": list(m.translations), "location": m.location} for m in missing],
                         ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
