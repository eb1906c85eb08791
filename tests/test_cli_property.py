"""Drive the CLI with random options, settings, environment and file names: an exit code and one-line messages."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporter.cli import main
from reporter.review import toml_string

from .test_runs import BRIDGE, week_one

# values that sit on the edges of what each option or key takes, and beyond them
EDGES = [
    "7d", "2w", "0d", "999999d", "36500d", "2024-W48", "9999-W52", "1000-W01", "2024-11-25", "0001-01-01",
    "9000-12-31", "2024-02-30", "nan", "inf", "-inf", "-1", "0", "1e999", "86400", "1000001", "A4", "Letter",
    "a5", "json", "md", "json,md", "html,json", "pdf", "conflict", "New-Conflict", "variant", "", " ", "\n",
    "\x00", "\udcff", "\x1b[2J", "9" * 5000,
]  # fmt: skip
garbage = st.one_of(st.sampled_from(EDGES), st.text(max_size=12), st.integers(-(10**20), 10**20).map(str))
# values each option takes, so that most runs get past the parsing and build
GOOD = {
    "--since": ["2024-11-18", "2024-11-19"], "--until": ["2024-11-24", "2024-11-19"], "--week": ["2024-W47", "2024w48"],
    "--last": ["7d", "2w", "1d"], "--as-of": ["2024-11-24", "2024-11-20"], "--lock-timeout": ["0", "0.5", "86400"],
    "--pdf-events": ["1", "25"], "--paper": ["A4", "letter"], "--fail-on": ["conflict", "New-Conflict", "variant"],
    "--title": ["Weekly", "Ünïcode ✓", "<b>&"], "--reference": ["in/bridge-a.json"], "--notes": ["notes.md"],
    "--reviews": ["reviews.toml", "out/r.toml"], "--archive": ["out/a.sqlite", "arch.sqlite"],
}  # fmt: skip
options = st.lists(
    st.sampled_from(sorted(GOOD)).flatmap(
        lambda o: st.tuples(st.just(o), st.sampled_from(GOOD[o]) | garbage if o != "--notes" else st.just("notes.md"))
    ),
    max_size=3,
)
flags = st.lists(st.sampled_from(["--dated", "--no-archive", "--quiet", "--timings", "--not-dated", "--bogus"]),
                 max_size=2)  # fmt: skip

# TOML values of every type, valid and not, for every key of briefing.toml
TOML_EDGES = [
    "nan", "inf", "-inf", "-1", "0", "0.5", "60", "true", "[]", '["in"]', '[["in/bridge-a.json", "in/bridge-b.json"]]',
    '"A4"', '"Letter"', '"2024-W47"', '"7d"', "2024-11-25", "0001-01-01", "2024-01-01T10:00:00Z", "10:00:00", "1e308",
    "{a = 1}", '"\\u0000"', '"out"', '["json", "md"]',
]  # fmt: skip
toml_values = st.one_of(
    st.sampled_from(EDGES).filter(lambda v: "\udcff" not in v).map(toml_string),
    st.text(max_size=10).filter(lambda v: not any(0xD800 <= ord(c) <= 0xDFFF for c in v)).map(toml_string),
    st.sampled_from(TOML_EDGES),
)
TOP = ["title", "sources", "references", "notes", "formats", "out", "paper", "dated_folders", "fail_on", "reviews",
       "lock_timeout", "pdf_events", "bogus"]  # fmt: skip
# not "scheduler": a value that looked like an address would be dialled
TABLE = {"window": ["since", "until", "week", "last", "as_of"], "grouping": ["threshold", "together", "apart"],
         "archive": ["path", "enabled"]}  # fmt: skip
top_keys = st.dictionaries(st.sampled_from(TOP), toml_values, max_size=3)
table_keys = st.dictionaries(
    st.sampled_from(list(TABLE)),
    st.dictionaries(st.sampled_from([k for keys in TABLE.values() for k in keys]), toml_values, max_size=2),
    max_size=2,
)  # fmt: skip
configs = st.one_of(st.none(), st.none(), st.tuples(top_keys, table_keys), st.text(max_size=20).map("# ".__add__))

epochs = st.one_of(
    st.none(),
    st.none(),
    st.none(),
    st.sampled_from(["", "0", "1732492800", "253402300800", "99999999999999999"]),
    garbage.filter(lambda v: "\x00" not in v),  # no environment can hold a NUL
)
# file names as a file system may hold them: any character but '/' and NUL, undecodable bytes included
name_chars = st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]) | st.sampled_from(["\udcff"])
names = st.tuples(
    st.text(name_chars, min_size=1, max_size=8).filter(lambda n: n not in (".", "..")),
    st.sampled_from([".json", ".txt", ".md", ".doc", ""]),
).map("".join)


@dataclass(frozen=True)
class Case:
    command: str
    options: list[tuple[str, str]]
    flags: list[str]
    config: tuple[dict[str, str], dict[str, dict[str, str]]] | str | None
    epoch: str | None
    names: list[str]
    flag_id: str


cases = st.builds(
    Case,
    command=st.sampled_from(["build", "build", "build", "review", "archive"]),
    options=options,
    flags=flags,
    config=configs,
    epoch=epochs,
    names=st.lists(names, min_size=0, max_size=3, unique=True),
    flag_id=st.sampled_from(["d-", "d", ""]) | garbage,
)


def _config_text(config: tuple[dict[str, str], dict[str, dict[str, str]]] | str) -> str:
    if isinstance(config, str):
        return config  # most likely not TOML at all
    top, tables = config
    lines = ['sources = ["in"]', 'formats = ["json"]'] if "sources" not in top else []
    lines += [f"{key} = {value}" for key, value in top.items() if key != "formats"]
    for table, keys in tables.items():
        lines.append(f"[{table}]")
        lines += [f"{key} = {value}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


def _args(case: Case) -> list[str]:
    pairs = case.options
    if case.command == "build":
        # never a PDF: the test is about what the CLI says, and a PDF costs a second each time
        return ["build", "in", "--format", "json", *(x for pair in pairs for x in pair), *case.flags]
    if case.command == "review":
        reason = pairs[0][1] if pairs else "a reason"
        return ["review", case.flag_id, "--dismiss" if len(pairs) % 2 else "--accept", reason, "--out", "out"]
    return ["archive", *(["--out", "out"] if pairs else [])]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_any_command_line_ends_in_an_exit_code_and_one_line_messages(case: Case) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        week_one(Path("in"))
        source = Path("in")
        Path("notes.md").write_text("Notes\n\n## Bridge\n\nCheck the cost.\n", encoding="utf-8")
        for n, name in enumerate(case.names):
            with contextlib.suppress(OSError):  # a name too long for the file system
                (source / os.fsdecode(os.fsencode(name))).write_text(BRIDGE.format(cost=50 + n), encoding="utf-8")
        if case.config is not None:
            Path("briefing.toml").write_text(_config_text(case.config), encoding="utf-8", errors="surrogateescape")
        env = {"SOURCE_DATE_EPOCH": case.epoch}
        if case.command != "build":  # a verdict on a flag of a briefing just written, its archive
            CliRunner().invoke(main, ["build", "in", "--format", "json", "--quiet"], env=env)
        result = CliRunner().invoke(main, _args(case), env=env)

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2, 3), (result.exit_code, result.stderr)
    err = result.stderr
    assert "Traceback" not in err
    lines = err.splitlines()
    assert err == "" or err.endswith("\n")
    errors = [line for line in lines if line.startswith("reporter: error: ")]
    others = [line for line in lines if not line.startswith(("reporter: error: ", "reporter: warning: "))]
    if result.exit_code in (1, 2):
        assert len(errors) == 1 and lines[-1] == errors[0], err
    elif result.exit_code == 3:
        assert len(errors) == 1 and lines[-1].startswith("reporter: error: --fail-on "), err
    else:
        assert errors == [], err
    # besides warnings and the error, at most the summary line (and --timings' line) of a written briefing
    assert len(others) <= 2 and all(" -> " in line or line.startswith(("timings: ", "d-")) for line in others), err
    assert all(ch.isprintable() for line in lines for ch in line), "no control character reaches the terminal"
