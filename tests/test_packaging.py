"""A plain `pip install .` ships the templates, the fonts and the schema, and they are found."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
