"""The output folder: the lock a run holds on it, and what it leaves there for readers."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reporter.errors import OutputError
from reporter.render import publish
from reporter.run import LOCK_NAME, lock_folder

from .conftest import ROOT, run

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
    assert second_in.wait(5) and first_out.wait(5)  # the first run may set its flag just after the second gets in
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


# --- publishing one run's outputs as a set ---------------------------------------------------------

NAMES = ("briefing.html", "briefing.pdf", "briefing.json", "briefing.md")
OLD = {name: f"old {name}".encode() for name in NAMES}
NEW = {name: f"new {name}".encode() for name in NAMES if name != "briefing.pdf"}  # a run without the PDF


def shown(out: Path) -> dict[str, bytes]:
    """What a reader opening each name in the folder finds."""
    return {name: (out / name).read_bytes() for name in NAMES if (out / name).exists()}


def _plain(out: Path) -> dict[str, bytes]:
    """The folder as an older reporter left it: plain files renamed into place one by one."""
    out.mkdir()
    for name, data in OLD.items():
        (out / name).write_bytes(data)
    return OLD


def _published(out: Path) -> dict[str, bytes]:
    publish(out, OLD, owned=NAMES)
    return OLD


def _empty(out: Path) -> dict[str, bytes]:
    return {}


def _publish_killed_at(out: Path, when: int) -> bool:
    """Publish NEW in a child process that is killed (SIGKILL) at its `when`-th rename; return whether it was."""
    pid = os.fork()
    if pid == 0:  # the child: no pytest clean-up may run here
        status = 1
        try:
            calls = [0]

            def killing(real: Callable[..., None]) -> Callable[..., None]:
                def rename(*args: object, **kwargs: object) -> None:
                    calls[0] += 1
                    if calls[0] == when:
                        os.kill(os.getpid(), signal.SIGKILL)
                    real(*args, **kwargs)

                return rename

            os.replace, os.rename = killing(os.replace), killing(os.rename)  # type: ignore[assignment]
            publish(out, NEW, owned=NAMES)
            status = 0
        finally:
            os._exit(status)
    deadline = time.monotonic() + 30
    while (waited := os.waitpid(pid, os.WNOHANG)) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the publishing child hung")
        time.sleep(0.01)
    status = waited[1]
    assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 0, "publish failed in the child"
    return os.WIFSIGNALED(status)


@pytest.mark.parametrize("before", [_plain, _published, _empty])
def test_a_publish_killed_at_any_rename_shows_one_set(
    tmp_path: Path, before: Callable[[Path], dict[str, bytes]]
) -> None:
    for when in range(1, 20):
        out = tmp_path / str(when)
        old = before(out)
        killed = _publish_killed_at(out, when)
        assert shown(out) in (old, NEW), f"killed at rename {when}: a mixed set"
        if not killed:
            break
        # the next run publishes the whole new set and clears what the killed one left
        publish(out, NEW, owned=NAMES)
        assert shown(out) == NEW
        assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
        assert len(list((out / ".runs").iterdir())) <= 2
    else:
        pytest.fail("the publish never finished")
    assert when > 1, "no rename was interrupted"


def test_outputs_are_links_into_the_current_run_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    umask = os.umask(0o022)
    try:
        publish(out, OLD, owned=NAMES)
        written = publish(out, NEW, owned=NAMES)
    finally:
        os.umask(umask)
    assert written == [out / name for name in NEW]
    assert shown(out) == NEW and not (out / "briefing.pdf").is_symlink(), "a name the new set lacks is removed"
    run = out / os.readlink(out / "current")
    assert os.readlink(out / "current").startswith(".runs/") and run.parent == out / ".runs"
    for name in NEW:
        assert os.readlink(out / name) == f"current/{name}"
        assert (run / name).is_file() and not (run / name).is_symlink()
        assert stat.S_IMODE((run / name).stat().st_mode) == 0o644
    assert stat.S_IMODE(run.stat().st_mode) == 0o755
    assert len(list((out / ".runs").iterdir())) == 2, "the new set and the one before it"
    publish(out, NEW, owned=NAMES)
    assert len(list((out / ".runs").iterdir())) == 2
    assert sorted(p.name for p in out.iterdir()) == sorted([".runs", "current", *NEW])


def test_a_folder_that_cannot_hold_links_gets_plain_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*_: object, **__: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "symlink", no_links)
    warnings: list[str] = []
    out = tmp_path / "out"
    assert publish(out, NEW, owned=NAMES, warn=warnings.append) == [out / name for name in NEW]
    assert shown(out) == NEW and not any(p.is_symlink() for p in out.iterdir())
    assert warnings == [
        f"{out} cannot hold symbolic links: the outputs are renamed into place one by one, "
        "so a run killed meanwhile may leave old and new files side by side"
    ]


def test_a_folder_named_current_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "current").mkdir(parents=True)
    with pytest.raises(OutputError) as caught:
        publish(out, NEW, owned=NAMES)
    assert (
        str(caught.value)
        == f"cannot publish to {out}: {out / 'current'} is not the link reporter keeps there; move it away"
    )
    assert sorted(p.name for p in out.iterdir()) == ["current"]


def test_a_build_killed_between_renames_leaves_the_old_briefing_or_the_new(src: Path, tmp_path: Path) -> None:
    # the reproduction: strace -f -e inject=rename,renameat,renameat2:signal=KILL:when=2 reporter build ...
    # over a folder an older reporter wrote, where every output is renamed into place by itself
    out = tmp_path / "out"
    assert build(src, out, "--format", "html,json,md", "--title", "First", "--no-archive") == (0, [])
    for name in ("briefing.html", "briefing.json", "briefing.md"):
        data = (out / name).read_bytes()
        (out / name).unlink()
        (out / name).write_bytes(data)
    shutil.rmtree(out / ".runs", ignore_errors=True)
    (out / "current").unlink(missing_ok=True)
    before = shown(out)
    script = (
        "import os, signal, sys\n"
        "calls = []\n"
        "def killing(real):\n"
        "    def rename(*args, **kwargs):\n"
        "        calls.append(args)\n"
        "        if len(calls) == 2:\n"
        "            os.kill(os.getpid(), signal.SIGKILL)\n"
        "        return real(*args, **kwargs)\n"
        "    return rename\n"
        "os.replace, os.rename = killing(os.replace), killing(os.rename)\n"
        "from reporter.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    command = [sys.executable, "-c", script, "build", str(src), "--out", str(out), "--format", "html,json,md",
               "--title", "Second", "--no-archive", "--quiet"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    after = shown(out)
    assert after == before or all(b"Second" in data for data in after.values()), "a mixed set"
    assert set(after) == set(before)
    assert build(src, out, "--format", "html,json,md", "--title", "Third", "--no-archive") == (0, [])
    assert all(b"Third" in data for data in shown(out).values())
