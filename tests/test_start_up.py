"""Summit started the way the README's Production section says serves German.

The compiled catalogues (.mo) are not in the repository; only `make` used to compile them,
so `pip install`, `flask db upgrade`, `gunicorn wsgi:app` served English to German browsers.
These tests start Summit from a copy of the working tree without any .mo file.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest
from conftest import _free_port, gunicorn_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REGISTER = "/events/vision-summit-2014/register"


def production_commands() -> list[list[str]]:
    """The flask and gunicorn lines of the README's Production section, as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split() for line in block.splitlines()
            if line.split()[:1] in (["flask"], ["gunicorn"])]


def copy_without_catalogues(destination: Path) -> Path:
    """The working tree as a fresh checkout has it: no .mo, no instance, no venv."""
    shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(
        "*.mo", ".venv", ".git", "instance", "__pycache__", "tests", "docs", "*.db",
        ".pytest_cache", ".ruff_cache", "test-artifacts", "tmp"))
    assert not list(destination.rglob("*.mo"))
    return destination


def page(url: str, language: str | None = None) -> str:
    headers = {"Accept-Language": language} if language else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return r.read().decode()


def test_gunicorn_started_as_the_readme_says_serves_german(tmp_path, database_url):
    checkout = copy_without_catalogues(tmp_path / "summit")
    port = _free_port()
    env = dict(os.environ, SUMMIT_DATABASE_URL=database_url,
               SUMMIT_INSTANCE_PATH=str(tmp_path / "instance"), SUMMIT_SECRET_KEY="start-up",
               SUMMIT_BASE_URL=f"http://127.0.0.1:{port}", SUMMIT_RATELIMIT_ENABLED="false")
    flask_upgrade, gunicorn = production_commands()
    assert flask_upgrade == ["flask", "--app", "summit", "db", "upgrade"]
    # The demo event (README, "Command line") is what the page below belongs to.
    for command in (flask_upgrade, ["flask", "--app", "summit", "seed-demo"]):
        subprocess.run([str(BIN / command[0]), *command[1:]], cwd=checkout, env=env,
                       check=True, capture_output=True)
    # Two workers, not four, on the shared test machine; a free port instead of 8000.
    gunicorn[gunicorn.index("-w") + 1] = "2"
    gunicorn[gunicorn.index("-b") + 1] = f"127.0.0.1:{port}"
    gunicorn[0] = str(BIN / "gunicorn")
    with gunicorn_server(gunicorn, cwd=checkout, env=env, log_file=tmp_path / "gunicorn.log",
                         url=f"http://127.0.0.1:{port}") as server:
        german = page(server.url + REGISTER, "de-DE,de;q=0.9,en;q=0.5")
        english = page(server.url + REGISTER)
    assert "Vorname" in german and 'lang="de"' in german
    assert "First name" in english and "Vorname" not in english
    # Compiled from the copy's own sources, next to them (the copy is writable).
    assert (checkout / "summit/translations/de/LC_MESSAGES/messages.mo").is_file()


def _as_another_user() -> list[str]:
    """A prefix that runs a command as a user the file modes apply to (root ignores them)."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a directory read-only")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_a_read_only_installation_compiles_into_the_instance_folder():
    """Installed by root, run by a service user: the catalogues go to the instance folder."""
    # Outside pytest's tmp_path, whose parents only its owner may enter.
    folder = Path(tempfile.mkdtemp(prefix="summit-read-only-"))
    try:
        checkout = copy_without_catalogues(folder / "summit")
        for path in [checkout, *checkout.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        instance = folder / "instance"
        instance.mkdir()
        instance.chmod(0o777)
        folder.chmod(0o755)
        script = ("from summit import create_app\n"
                  "app = create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
                  "print(app.test_client().get('/login', headers={'Accept-Language': 'de'})"
                  ".get_data(as_text=True))\n")
        env = dict(os.environ, SUMMIT_INSTANCE_PATH=str(instance), SUMMIT_SECRET_KEY="ro",
                   PYTHONDONTWRITEBYTECODE="1")
        result = subprocess.run([*_as_another_user(), sys.executable, "-c", script],
                                cwd=checkout, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "Passwort" in result.stdout
        assert (instance / "translations/de/LC_MESSAGES/messages.mo").is_file()
        assert not list(checkout.rglob("*.mo"))
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)


def _german_first_name(mo: Path) -> str:
    from babel.support import Translations

    with mo.open("rb") as handle:
        return Translations(handle).gettext("First name")


def test_a_catalogue_is_compiled_when_missing_or_older_than_its_source(tmp_path):
    from summit import catalogues

    source = tmp_path / "translations"
    shutil.copytree(catalogues.SOURCE, source, ignore=shutil.ignore_patterns("*.mo"))
    po = source / "de/LC_MESSAGES/messages.po"
    mo = po.with_suffix(".mo")
    assert catalogues.compile_stale(source, source) == [mo]
    assert _german_first_name(mo) == "Vorname"
    assert catalogues.compile_stale(source, source) == []  # current: left alone
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Vorname"', 'msgstr "Rufname"', 1), encoding="utf-8")
    os.utime(po, (mo.stat().st_mtime + 10,) * 2)  # edited after the last compile
    assert catalogues.compile_stale(source, source) == [mo]
    assert _german_first_name(mo) == "Rufname"
    assert sorted(p.name for p in mo.parent.iterdir()) == ["messages.mo", "messages.po"]


def test_workers_compiling_at_once_leave_one_whole_catalogue(tmp_path):
    """What gunicorn's workers do when they start together on a fresh checkout."""
    from summit import catalogues

    source = tmp_path / "translations"
    shutil.copytree(catalogues.SOURCE, source, ignore=shutil.ignore_patterns("*.mo"))
    script = ("import sys\nfrom pathlib import Path\nfrom summit import catalogues\n"
              "catalogues.compile_stale(Path(sys.argv[1]), Path(sys.argv[1]))\n")
    workers = [subprocess.Popen([sys.executable, "-c", script, str(source)], cwd=ROOT)
               for _ in range(4)]
    assert [worker.wait() for worker in workers] == [0] * 4
    messages = source / "de/LC_MESSAGES"
    assert sorted(p.name for p in messages.iterdir()) == ["messages.mo", "messages.po"]
    assert _german_first_name(messages / "messages.mo") == "Vorname"
