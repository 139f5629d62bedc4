"""The compiled message catalogues (.mo) that Flask-Babel reads, made from the .po sources at
start-up when missing or older than their source.

The .mo files are build products and not in the repository. Only `make` used to compile
them, so a server started as the README's Production section says (pip install, db upgrade,
gunicorn) served English to every German browser. Compiling here covers every way of
starting Summit: gunicorn, the flask CLI (the mail worker writes German mail too) and tests.
"""

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE = Path(__file__).resolve().parent / "translations"

log = logging.getLogger(__name__)


def translation_directory(instance: Path, source: Path = SOURCE) -> Path:
    """Where Flask-Babel finds current catalogues: next to the sources, or, when that
    directory is read-only (installed by root, a read-only image), under the instance folder.

    The instance folder rather than memory: it is this installation's writable place (it
    holds the database and the secret key already), Flask-Babel reads catalogues from
    directories only, and a compiled copy there survives restarts, so each worker start
    costs a stat per catalogue instead of a compile.
    """
    try:
        compile_stale(source, source)
        return source
    except OSError as exc:
        target = instance / "translations"
        log.info("Cannot write the catalogues next to their sources (%s); compiling them "
                 "into %s", exc, target)
    try:
        compile_stale(source, target)
    except OSError:
        log.exception("Cannot compile the message catalogues: pages are served in English")
        return source
    return target


def compile_stale(source: Path, target: Path) -> list[Path]:
    """Compile every source/<lang>/LC_MESSAGES/*.po whose target .mo is missing or older;
    the .mo files written."""
    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        mo.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(mo, catalogue)
        written.append(mo)
    return written


def _write_atomically(mo: Path, catalogue) -> None:
    """gunicorn's workers all start at once and may all find the catalogue stale: each writes
    a file of its own and renames it into place, so a reader sees the old catalogue or a
    whole new one, never a half-written one (rename is atomic within a directory)."""
    fd, temporary = tempfile.mkstemp(dir=mo.parent, prefix=f".{mo.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            # Fuzzy entries included, as `make` always compiled them (--use-fuzzy).
            write_mo(handle, catalogue, use_fuzzy=True)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from other service users
        os.replace(temporary, mo)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
