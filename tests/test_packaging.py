"""A plain `pip install .` ships the templates, the fonts and the schema, and reads every input format."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_installed_package_finds_its_templates_and_fonts(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT)],
        check=True, cwd=tmp_path, capture_output=True,
    )  # fmt: skip
    probe = (
        "import reporter.render as r;"
        "print(r.__file__);"
        "print(r.template_dir());"
        "names = ('briefing.html', 'style.css', 'digest.md', 'filter.js');"
        "print(all((r.template_dir() / n).is_file() for n in names));"
        "print(all(p.is_file() for p in r.FONT_DIR.glob('*.ttf')) and any(r.FONT_DIR.glob('*.ttf')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, cwd=tmp_path, capture_output=True, text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    ).stdout.split("\n")  # fmt: skip
    assert out[0].startswith(str(target))  # the installed copy, not the checkout
    assert out[1].startswith(str(target))
    assert out[2:4] == ["True", "True"]


# --- a plain install, as a new user makes it -------------------------------------------------

PAGE = (
    "<html><head><title>Fire at the harbour</title></head><body><article>"
    + "".join(f"<p>{line}</p>" for line in (
        "Firefighters contained a blaze at the harbour warehouse on Friday night, the fire service said.",
        "Nobody was hurt, and the service said the cause was an electrical fault in the roof.",
        "About 40 firefighters worked through the night to keep the flames from the fuel depot next door.",
    ))
    + "</article></body></html>"
)  # fmt: skip
BODY = "The regional council approved the new bridge on Tuesday after a long debate; it will be 1,200 metres long."


@pytest.fixture(scope="session")
def plain_venv(pytestconfig: pytest.Config) -> Path:
    """Return a `python -m venv` environment, its own pip not upgraded, with this project `pip install .`-ed.

    Resolving and installing every dependency takes a minute or more, so the environment is
    kept in pytest's cache and made anew only when pyproject.toml or the Python version
    changes; the project itself is installed again in each session, without its dependencies.
    """
    key = hashlib.sha1((ROOT / "pyproject.toml").read_bytes() + sys.version.encode()).hexdigest()[:12]
    cache = pytestconfig.cache
    assert cache is not None
    home = Path(cache.mkdir("plain-venv"))
    venv, ready = home / key, home / key / "installed"  # holds the hash of the sources installed
    python = venv / "bin" / "python"
    sources = _sources_hash()
    if not ready.is_file():
        for old in home.iterdir():
            shutil.rmtree(old, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        # exactly what a new user types: no pip upgrade first, which would hide an old resolver's gaps
        _pip(python, "install", "--quiet", ".")
    elif ready.read_text() != sources:
        _pip(python, "install", "--quiet", "--no-deps", "--force-reinstall", ".")
    ready.write_text(sources)
    return venv


def _sources_hash() -> str:
    """Hash what an install copies from the checkout, to tell whether the installed copy is stale."""
    digest = hashlib.sha1()
    for path in sorted([*(ROOT / "reporter").rglob("*"), *(ROOT / "templates").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _pip(python: Path, *args: str) -> None:
    done = subprocess.run([str(python), "-m", "pip", *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


def test_plain_install_reads_every_input_format(plain_venv: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(BODY, encoding="utf-8")
    (src / "b.md").write_text(
        f"---\ntitle: Bridge\ndate: 2024-03-05\n---\n\n{BODY} It opens in May.\n", encoding="utf-8"
    )
    (src / "c.html").write_text(PAGE, encoding="utf-8")
    (src / "d.json").write_text(json.dumps({"title": "Bridge", "text": BODY + " It costs more."}), encoding="utf-8")
    (src / "e.jsonl").write_text(json.dumps({"text": BODY + " It is wide."}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [str(plain_venv / "bin" / "reporter"), "build", str(src), "--out", str(out), "--format", "json,md",
         "--no-archive"],
        cwd=tmp_path, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    briefing = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert briefing["skipped"] == []
    names = sorted(Path(a["path"]).name for a in briefing["articles"])
    assert names == ["a.txt", "b.md", "c.html", "d.json", "e.jsonl#1"]
    assert (out / "briefing.md").is_file()
