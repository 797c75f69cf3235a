"""The translation catalogues in locale/ (issue 17, docs/translating.md): compiled and checked without the
gettext programs, which a fresh machine does not have (polib, a test and `make messages` dependency only).

    python -m commons.catalogues compile   # every locale/<lang>/LC_MESSAGES/*.po to its .mo
    python -m commons.catalogues check     # exit 1 on an untranslated or fuzzy entry, or a .mo not compiled from its .po

The .mo files are committed: Django reads them at run time, and the site needs no polib to run.
"""

import sys
import tempfile
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def catalogues(locale: Path = LOCALE) -> list[Path]:
    return sorted(locale.glob("*/LC_MESSAGES/*.po"))


def compiled(po_path: Path) -> bytes:
    """The .mo bytes that `po_path` compiles to (polib: entries in msgid order, fuzzy ones left out)."""
    import polib

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.mo"
        polib.pofile(str(po_path)).save_as_mofile(str(target))
        return target.read_bytes()


def compile_all(locale: Path = LOCALE) -> list[Path]:
    written = []
    for po_path in catalogues(locale):
        mo_path = po_path.with_suffix(".mo")
        data = compiled(po_path)
        if not mo_path.exists() or mo_path.read_bytes() != data:
            mo_path.write_bytes(data)
            written.append(mo_path)
    return written


def problems(locale: Path = LOCALE) -> list[str]:
    """What stops a catalogue from being complete: each untranslated or fuzzy entry, a stale or missing .mo."""
    import polib

    found = []
    for po_path in catalogues(locale):
        name = po_path.relative_to(locale)
        po = polib.pofile(str(po_path))
        if po.metadata_is_fuzzy:
            found.append(f"{name}: the header is marked fuzzy")
        for entry in po:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                found.append(f"{name}: fuzzy: {entry.msgid[:70]!r}")
            elif not entry.translated():
                found.append(f"{name}: untranslated: {entry.msgid[:70]!r}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            found.append(f"{name}: no .mo (run `make messages`)")
        elif mo_path.read_bytes() != compiled(po_path):
            found.append(f"{name}: the .mo is not compiled from this .po (run `make messages`)")
    return found


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "compile":
        for path in compile_all():
            print(f"compiled {path.relative_to(LOCALE.parent)}")
    found = problems()
    for line in found:
        print(line)
    sys.exit(1 if found else 0)
