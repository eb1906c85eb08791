"""The output folder: the lock a run holds on it, and what it leaves there for readers."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest

from reporter.run import LOCK_NAME, lock_folder

from .conftest import run

GOOD = (
    "The regional council approved the new bridge on Tuesday after a long debate. "
    "The bridge will be 1,200 metres long and cost 45 million euros, the council said."
)


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def build(src: Path, out: Path, *options: str) -> tuple[int, list[str]]:
    code, _, err = run("build", str(src), "--out", str(out), "--format", "json", "--quiet", *options)
    assert "Traceback" not in err
    return code, err.splitlines()


# --- the lock ------------------------------------------------------------------------------


def _symlink(lock: Path, victim: Path) -> None:
    lock.symlink_to(victim)


def _hard_link(lock: Path, victim: Path) -> None:
    os.link(victim, lock)


@pytest.mark.parametrize(
    ("plant", "problem"),
    [
        (_symlink, "is a symbolic link, not a lock file"),
        (_hard_link, "has other names (hard links), not a lock file"),
    ],
)
def test_a_lock_that_leads_to_another_file_is_refused(src: Path, tmp_path: Path, plant: object, problem: str) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    plant(out / LOCK_NAME, victim)  # type: ignore[operator]
    code, err = build(src, out)
    assert (code, err) == (1, [f"reporter: error: cannot use output folder {out}: {out / LOCK_NAME} {problem}"])
    assert victim.read_text(encoding="utf-8") == "precious", "the run wrote through the lock"
    assert not (out / "briefing.json").exists()


@pytest.mark.parametrize(
    ("plant", "problem"),
    [(os.mkfifo, "is not a regular file, not a lock file"), (os.mkdir, "is a folder, not a lock file")],
)
def test_a_lock_that_is_not_a_file_is_refused(src: Path, tmp_path: Path, plant: object, problem: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    plant(out / LOCK_NAME)  # type: ignore[operator]
    started = time.monotonic()
    assert build(src, out) == (1, [f"reporter: error: cannot use output folder {out}: {out / LOCK_NAME} {problem}"])
    assert time.monotonic() - started < 5, "a pipe is never waited on"


def test_the_lock_leaves_with_the_run(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(src, out) == (0, [])
    assert not (out / LOCK_NAME).exists(), "the lock would land in CI artifacts"
    (src / "good.txt").unlink()
    (src / "empty.txt").write_text("", encoding="utf-8")
    code, _ = build(src, out)
    assert code == 1 and not (out / LOCK_NAME).exists(), "a failed run removes it too"


def test_a_run_that_waited_holds_the_lock_alone(tmp_path: Path) -> None:
    # the first run removes the lock file as it ends: the run that waited on it must not then
    # hold a file no longer in the folder while a third run locks a new one
    out = tmp_path / "out"
    first_in, first_out, second_in = threading.Event(), threading.Event(), threading.Event()
    release = threading.Event()

    def first() -> None:
        with lock_folder(out, 5):
            first_in.set()
            release.wait(5)
        first_out.set()

    def second() -> None:
        with lock_folder(out, 5):
            second_in.set()
            time.sleep(0.5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_in.wait(5)
    threads[1].start()
    time.sleep(0.3)  # the second run has opened the lock file and waits on it
    assert not second_in.is_set()
    release.set()
    assert second_in.wait(5) and first_out.is_set()
    with open(out / LOCK_NAME, "a") as third:
        with pytest.raises(BlockingIOError):
            fcntl.flock(third, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the file in the folder is the one held
        assert (out / LOCK_NAME).read_text(encoding="ascii") == str(os.getpid())
    for thread in threads:
        thread.join(5)
    assert not (out / LOCK_NAME).exists()


def test_the_holder_named_in_the_wait_message_is_a_number_or_unknown(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_NAME, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("\x1b[31m4242\n")  # whatever the file holds reaches the terminal only as digits
        held.flush()
        code, err = build(src, out, "--lock-timeout", "0.2")
    assert code == 1
    assert err == [
        f"reporter: error: another run (pid ?) is writing to {out}; waited 0.2 s "
        "(lock_timeout in briefing.toml, --lock-timeout)"
    ]
