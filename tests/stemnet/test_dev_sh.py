"""The README's commands set a fresh Debian machine up themselves: ./dev.sh installs the
Debian packages it needs when run as root, and otherwise stops at once with the one line
to run (stub dpkg / id / apt-get on PATH stand in for the machine)."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _stub(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _run(tmp_path, *, uid: str, missing: str):
    stubs = tmp_path / "bin"
    stubs.mkdir()
    # dpkg -s PKG fails for the packages listed in ``missing``.
    _stub(stubs, "dpkg", f'case " {missing} " in *" $2 "*) exit 1;; esac; exit 0')
    _stub(stubs, "id", f"echo {uid}")
    _stub(stubs, "apt-get", f'echo "$@" >> {tmp_path}/apt.log')
    _stub(stubs, "no-python", "exit 1")  # stops the script right after the package step
    env = {
        **os.environ,
        "PATH": f"{stubs}:{os.environ['PATH']}",
        "VENV": str(tmp_path / "venv"),
        "PYTHON": str(stubs / "no-python"),
    }
    return subprocess.run(  # noqa: S603
        ["bash", str(ROOT / "dev.sh"), "run"],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_root_it_stops_at_once_with_the_line_to_run(tmp_path):
    result = _run(tmp_path, uid="1000", missing="libpango-1.0-0 gettext")
    assert result.returncode == 1
    assert "sudo apt-get install -y gettext libpango-1.0-0" in result.stderr
    assert not (tmp_path / "apt.log").exists()
    assert not (tmp_path / "venv").exists()


def test_as_root_it_installs_only_what_is_missing(tmp_path):
    _run(tmp_path, uid="0", missing="libpango-1.0-0")
    log = (tmp_path / "apt.log").read_text()
    assert "install -y -qq libpango-1.0-0 python3.11 python3.11-venv" in log
    assert "gettext" not in log
