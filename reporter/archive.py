"""The archive: an SQLite file that remembers what earlier runs read and flagged.

It holds every file read, keyed by the hash of its bytes, with the cleaned articles
and their extracted sentences, so a weekly run over a folder of past articles only
processes the new ones; and each briefing's flags, so the next briefing can say which
conflicts are new, still open or resolved. Writes happen in transactions: a run killed
half-way leaves the archive as it was before the transaction.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .errors import OutputError, UsageError
from .model import Briefing, FileOutcome, PastFlag, Sentence

SCHEMA = 1
Warn = Callable[[str], None]
# migrations[n] turns schema n into schema n + 1; an archive with no path to SCHEMA is rebuilt
MIGRATIONS: dict[int, Sequence[str]] = {}

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    key TEXT PRIMARY KEY,          -- sha1 of the bytes, format and role
    outcome BLOB NOT NULL,         -- the cleaned articles and skips, paths relative to the file
    first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    article TEXT NOT NULL,         -- article id (a hash of its text)
    reference TEXT NOT NULL,       -- the date relative dates resolved against, '' when its own
    data BLOB NOT NULL,
    PRIMARY KEY (article, reference)
);
CREATE TABLE IF NOT EXISTS briefings (
    id INTEGER PRIMARY KEY,
    generated TEXT NOT NULL,
    title TEXT NOT NULL,
    window TEXT,
    version TEXT NOT NULL,
    articles INTEGER NOT NULL,
    events INTEGER NOT NULL,
    conflicts INTEGER NOT NULL,
    variants INTEGER NOT NULL,
    dismissed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS briefing_articles (
    briefing INTEGER NOT NULL REFERENCES briefings(id),
    path TEXT NOT NULL,
    article TEXT NOT NULL,
    published TEXT,
    PRIMARY KEY (briefing, path)
);
CREATE TABLE IF NOT EXISTS flags (
    briefing INTEGER NOT NULL REFERENCES briefings(id),
    id TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    event TEXT NOT NULL,
    a_path TEXT NOT NULL,
    a_value TEXT NOT NULL,
    b_path TEXT NOT NULL,
    b_value TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (briefing, id)
);
"""


@dataclass(frozen=True)
class PastBriefing:
    """The last briefing the archive holds: when, what it read, what it flagged."""

    id: int
    generated: str
    window: str | None
    articles: dict[str, str]  # path -> article id
    flags: tuple[PastFlag, ...]


@dataclass(frozen=True)
class Summary:
    """What `reporter archive` shows."""

    path: Path
    schema: int
    version: str
    files: int
    articles: int
    sentences: int
    briefings: tuple[tuple[int, str, str | None, int, int, int, int, int], ...]


def code_fingerprint() -> str:
    """Hash this package's code: cached readings from other code are not trusted."""
    digest = hashlib.sha1(__version__.encode())
    for file in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


class Archive:
    """An open archive file; use as a context manager."""

    def __init__(self, path: Path, warn: Warn, timeout: float = 60.0) -> None:
        self.path = path
        self.warn = warn
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the archive's folder {path.parent}: {exc.strerror}") from None
        self.conn = self._open(timeout)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- opening, checking, migrating -------------------------------------------------

    def _open(self, timeout: float) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=timeout)
            schema = self._schema(conn)
        except sqlite3.DatabaseError as exc:  # not an SQLite file, or a damaged one
            return self._rebuild(timeout, f"it cannot be read ({exc})")
        if schema is None:
            self._create(conn)
            return conn
        if schema > SCHEMA:
            conn.close()
            return self._rebuild(timeout, f"it was written by a newer reporter (archive schema {schema})")
        while schema < SCHEMA:
            if schema not in MIGRATIONS:
                conn.close()
                return self._rebuild(timeout, f"its schema {schema} cannot be migrated to {SCHEMA}")
            with conn:
                for statement in MIGRATIONS[schema]:
                    conn.execute(statement)
                conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(schema + 1),))
            self.warn(f"archive {self.path}: migrated from schema {schema} to {schema + 1}")
            schema += 1
        self._check_code(conn)
        return conn

    @staticmethod
    def _schema(conn: sqlite3.Connection) -> int | None:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if "meta" not in tables:
            raise sqlite3.DatabaseError("not a reporter archive")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise sqlite3.DatabaseError("no schema version")
        return int(row[0])

    def _create(self, conn: sqlite3.Connection) -> None:
        with conn:
            conn.executescript(_TABLES)
            conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("schema", str(SCHEMA)), ("version", __version__), ("code", code_fingerprint())],
            )

    def _rebuild(self, timeout: float, why: str) -> sqlite3.Connection:
        kept = self.path.with_name(self.path.name + ".old")
        try:
            self.path.replace(kept)
        except OSError as exc:
            raise OutputError(f"archive {self.path}: {why}, and it cannot be moved aside: {exc.strerror}") from None
        self.warn(f"archive {self.path}: {why}; started a new one, the old file is kept as {kept}")
        conn = sqlite3.connect(self.path, timeout=timeout)
        self._create(conn)
        return conn

    def _check_code(self, conn: sqlite3.Connection) -> None:
        """Drop cached readings made by other code; the history of flags is kept."""
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        fingerprint = code_fingerprint()
        if meta.get("code") == fingerprint:
            return
        cached = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        with conn:
            conn.execute("DELETE FROM files")
            conn.execute("DELETE FROM sentences")
            conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", [("version", __version__), ("code", fingerprint)]
            )
        if cached:
            self.warn(
                f"archive {self.path}: its {cached} cached file(s) were read by reporter {meta.get('version', '?')} "
                f"(another build); they are read again"
            )

    # --- the cache of readings -----------------------------------------------------

    def files(self, keys: Iterable[str]) -> dict[str, FileOutcome]:
        """Return the cached outcome of each key the archive holds."""
        found: dict[str, FileOutcome] = {}
        wanted = list(keys)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.conn.execute(f"SELECT key, outcome FROM files WHERE key IN ({marks})", chunk):
                found[key] = pickle.loads(blob)
        return found

    def store_files(self, outcomes: dict[str, FileOutcome]) -> None:
        now = _now()
        with self.conn:
            self.conn.executemany(
                "INSERT OR IGNORE INTO files VALUES (?, ?, ?)",
                [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL), now) for k, v in outcomes.items()],
            )

    def sentences(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[Sentence, ...]]:
        """Return the cached sentences of each (article id, reference date) the archive holds."""
        found: dict[tuple[str, str], tuple[Sentence, ...]] = {}
        by_article: dict[str, set[str]] = {}
        for article, reference in wanted:
            by_article.setdefault(article, set()).add(reference)
        ids = list(by_article)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT article, reference, data FROM sentences WHERE article IN ({marks})", chunk
            )
            for article, reference, blob in rows:
                if reference in by_article[article]:
                    found[(article, reference)] = pickle.loads(blob)
        return found

    def store_sentences(self, items: dict[tuple[str, str], tuple[Sentence, ...]]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR IGNORE INTO sentences VALUES (?, ?, ?)",
                [(a, r, pickle.dumps(s, protocol=pickle.HIGHEST_PROTOCOL)) for (a, r), s in items.items()],
            )

    # --- the history of briefings ----------------------------------------------------

    def last_briefing(self) -> PastBriefing | None:
        row = self.conn.execute("SELECT id, generated, window FROM briefings ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        number, generated, window = row
        articles = dict(self.conn.execute("SELECT path, article FROM briefing_articles WHERE briefing = ?", (number,)))
        flags = tuple(
            PastFlag(*r)
            for r in self.conn.execute(
                "SELECT id, key, kind, severity, event, a_path, a_value, b_path, b_value, note "
                "FROM flags WHERE briefing = ? ORDER BY id",
                (number,),
            )
        )
        return PastBriefing(number, generated, window, articles, flags)

    def record(self, briefing: Briefing, flags: Sequence[PastFlag]) -> int:
        """Store a briefing's articles and flags in one transaction; return its number."""
        with self.conn:
            cursor = self.conn.execute(
                "INSERT INTO briefings (generated, title, window, version, articles, events, conflicts, variants, "
                "dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    briefing.generated,
                    briefing.title,
                    briefing.window.label if briefing.window else None,
                    briefing.version,
                    briefing.reports,
                    len(briefing.events),
                    briefing.conflicts,
                    briefing.variants,
                    len(briefing.dismissed),
                ),
            )
            number = int(cursor.lastrowid or 0)
            self.conn.executemany(
                "INSERT INTO briefing_articles VALUES (?, ?, ?, ?)",
                [
                    (number, a.root_path or a.path, a.id, a.published.isoformat() if a.published else None)
                    for a in briefing.articles
                ],
            )
            self.conn.executemany(
                "INSERT INTO flags VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (number, f.id, f.key, f.kind, f.severity, f.event, f.a_path, f.a_value, f.b_path, f.b_value, f.note)
                    for f in flags
                ],
            )
        return number

    def summary(self) -> Summary:
        meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        count: Callable[[str], int] = lambda sql: int(self.conn.execute(sql).fetchone()[0])  # noqa: E731
        briefings = tuple(
            self.conn.execute(
                "SELECT id, generated, window, articles, events, conflicts, variants, dismissed "
                "FROM briefings ORDER BY id"
            ).fetchall()
        )
        return Summary(
            path=self.path,
            schema=int(meta.get("schema", 0)),
            version=meta.get("version", "?"),
            files=count("SELECT count(*) FROM files"),
            articles=count("SELECT count(DISTINCT article) FROM sentences"),
            sentences=count("SELECT count(*) FROM sentences"),
            briefings=briefings,
        )


def _now() -> str:
    return datetime.now(tz=UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_existing(path: Path, warn: Warn) -> Archive:
    """Open an archive that must already exist (for `reporter archive`)."""
    if not path.is_file():
        raise UsageError(f"no archive at {path} (a run with the archive enabled creates it)")
    return Archive(path, warn)
