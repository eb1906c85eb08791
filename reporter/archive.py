"""The archive: an SQLite file that remembers what earlier runs read and flagged.

It holds every file read, keyed by the hash of its bytes, with the cleaned articles
and their extracted sentences, so a weekly run over a folder of past articles only
processes the new ones; each event's comparison, keyed by what it read (its articles as
read, the references, the code), so a rerun compares only the events that articles joined
or changed; and each briefing's flags and events, so the next briefing can say which
conflicts are new, still open or resolved, and which events grew, merged or split. Writes
happen in transactions: a run killed half-way leaves the archive as it was before the
transaction.

The file may come from elsewhere (CI restores it from a shared cache), so it holds data,
never code: readings are JSON, read back only as the dataclasses they must be (codec.py),
and every row of the history is checked the same way. Anything unexpected, when the file
is opened or later in the run, makes it a damaged archive: moved aside with a warning,
and a new one started. A stored event comparison that cannot be read, or does not fit
its event, is only passed over: the event is compared again and its row replaced.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson

from . import __version__, codec
from .errors import OutputError, UsageError
from .model import Briefing, Event, EventComparison, FileOutcome, PastFlag, Sentence
from .wording import plural

SCHEMA = 3
KEEP_COMPARISONS = 60  # days an event's comparison is kept unused: a few weekly runs with other windows
Warn = Callable[[str], None]
T = TypeVar("T")
# migrations[n] turns schema n into schema n + 1; an archive with no path to SCHEMA is rebuilt
MIGRATIONS: dict[int, Sequence[str]] = {
    # schema 1 kept readings as pickles, which run code when loaded: drop them unread, keep the history
    1: ("DELETE FROM files", "DELETE FROM sentences"),
    # schema 3 keeps events' comparisons and each briefing's events; older briefings have none
    2: (
        "CREATE TABLE comparisons (key TEXT PRIMARY KEY, event TEXT NOT NULL, members TEXT NOT NULL, "
        "result BLOB NOT NULL, used TEXT NOT NULL)",
        "ALTER TABLE briefing_articles ADD COLUMN event TEXT",
        "CREATE TABLE briefing_events (briefing INTEGER NOT NULL REFERENCES briefings(id), id TEXT NOT NULL, "
        "title TEXT NOT NULL, PRIMARY KEY (briefing, id))",
    ),
}
# SQLite failures that say nothing about the file (busy, disk full, no permission) are reported,
# never a reason to move the archive aside; any other (malformed pages, not a database, tables
# that are not ours) means the file is damaged
_NOT_DAMAGE = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_INTERRUPT,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PROTOCOL,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_AUTH,
    }
)
_COMPANIONS = ("-journal", "-wal", "-shm")  # SQLite's own files beside the archive, moved aside with it
Sentences = tuple[Sentence, ...]
BriefingRow = tuple[int, str, str | None, int, int, int, int, int]

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
CREATE TABLE IF NOT EXISTS comparisons (
    key TEXT PRIMARY KEY,          -- hash of the event's articles and references as read, and of the code
    event TEXT NOT NULL,
    members TEXT NOT NULL,         -- the event's article ids, JSON
    result BLOB NOT NULL,          -- its EventComparison
    used TEXT NOT NULL             -- when a run last stored or took it
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
    event TEXT,                    -- the event it was grouped in; NULL for a reference note
    PRIMARY KEY (briefing, path)
);
CREATE TABLE IF NOT EXISTS briefing_events (
    briefing INTEGER NOT NULL REFERENCES briefings(id),
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (briefing, id)
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
    events: dict[str, str] = dataclasses.field(default_factory=dict)  # path -> id of the event it was in
    titles: dict[str, str] = dataclasses.field(default_factory=dict)  # event id -> its title


@dataclass(frozen=True)
class Summary:
    """What `reporter archive` shows."""

    path: Path
    schema: int
    version: str
    files: int
    articles: int
    sentences: int
    briefings: tuple[BriefingRow, ...]
    comparisons: int = 0


class Damaged(Exception):
    """Raise when the archive holds what no reporter of this schema writes."""


def code_fingerprint() -> str:
    """Hash this package's code: cached readings from other code are not trusted."""
    digest = hashlib.sha1(__version__.encode())
    for file in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def is_damage(exc: BaseException) -> bool:
    """Tell whether a failure means the archive file is damaged (not busy, full or unwritable)."""
    if isinstance(exc, (Damaged, codec.DecodeError)):
        return True
    if isinstance(exc, (sqlite3.ProgrammingError, sqlite3.InterfaceError)):
        return False  # a bug in how the archive is used, not a fault of the file
    if isinstance(exc, sqlite3.DatabaseError):
        code = getattr(exc, "sqlite_errorcode", None)
        return code is None or code & 0xFF not in _NOT_DAMAGE  # extended codes keep the primary in the low byte
    return False


@functools.cache
def _columns() -> dict[str, tuple[str, ...]]:
    """Return each table's columns as this schema creates them."""
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.executescript(_TABLES)
        return {table: _columns_of(conn, table) for table in _table_names(conn)}


@functools.cache
def _objects() -> frozenset[tuple[str, str]]:
    """Return the (type, name) of everything this schema creates: its tables and their indexes."""
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.executescript(_TABLES)
        return _objects_of(conn)


def _objects_of(conn: sqlite3.Connection) -> frozenset[tuple[str, str]]:
    return frozenset((kind, name) for kind, name in conn.execute("SELECT type, name FROM sqlite_master"))


def _table_names(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns_of(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", (table,)))


class Archive:
    """An open archive file; use as a context manager.

    Each method that reads or writes it runs through _use: a damaged file found at any
    point is moved aside with a warning, and the method runs again on a new, empty archive.
    """

    def __init__(self, path: Path, warn: Warn, timeout: float = 60.0) -> None:
        self.path = path
        self.warn = warn
        self.timeout = timeout
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the archive's folder {path.parent}: {exc.strerror}") from None
        self.conn = self._open()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- opening, checking, migrating -------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.timeout)
        try:
            schema = self._schema(conn)
            if schema is None:
                self._create(conn)
                return conn
            if schema > SCHEMA:
                return self._rebuild(conn, f"it was written by a newer reporter (archive schema {schema})")
            while schema < SCHEMA:
                if schema not in MIGRATIONS:
                    return self._rebuild(conn, f"its schema {schema} cannot be migrated to {SCHEMA}")
                with conn:
                    for statement in MIGRATIONS[schema]:
                        conn.execute(statement)
                    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(schema + 1),))
                self.warn(f"archive {self.path}: migrated from schema {schema} to {schema + 1}")
                schema += 1
            self._check_tables(conn)
            self._check_code(conn)
        except (sqlite3.DatabaseError, Damaged) as exc:
            if not is_damage(exc):
                conn.close()
                raise
            return self._rebuild(conn, f"it cannot be read ({exc})")
        return conn

    @staticmethod
    def _schema(conn: sqlite3.Connection) -> int | None:
        tables = _table_names(conn)
        if not tables:
            return None
        if "meta" not in tables:
            raise Damaged("not a reporter archive")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or not isinstance(row[0], str) or not (row[0].isascii() and row[0].isdigit()):
            raise Damaged("no schema version")
        return int(row[0])

    @staticmethod
    def _check_tables(conn: sqlite3.Connection) -> None:
        """Raise Damaged unless the file holds this schema's tables, with their columns, and nothing else.

        Nothing else: a trigger or a view planted in a shared archive would run or answer in
        place of the tables when the run writes or reads them.
        """
        for table, columns in _columns().items():
            if _columns_of(conn, table) != columns:
                raise Damaged(f"table {table} is not as this schema makes it")
        if extra := sorted(_objects_of(conn) - _objects()):
            kind, name = extra[0]
            raise Damaged(f"a {kind} this schema does not make: {name}")

    def _create(self, conn: sqlite3.Connection) -> None:
        with conn:
            conn.executescript(_TABLES)
            conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("schema", str(SCHEMA)), ("version", __version__), ("code", code_fingerprint())],
            )

    def _rebuild(self, conn: sqlite3.Connection, why: str) -> sqlite3.Connection:
        """Move the archive (and SQLite's files beside it) aside, warn, and start a new one."""
        conn.close()
        kept = self.path.with_name(self.path.name + ".old")
        try:
            # a journal left beside the new file would be played back into it: it goes with its archive
            for suffix in _COMPANIONS:
                companion = self.path.with_name(self.path.name + suffix)
                if companion.exists():
                    companion.replace(kept.with_name(kept.name + suffix))
                else:
                    kept.with_name(kept.name + suffix).unlink(missing_ok=True)
            self.path.replace(kept)
        except OSError as exc:
            raise OutputError(f"archive {self.path}: {why}, and it cannot be moved aside: {exc.strerror}") from None
        self.warn(f"archive {self.path}: {why}; started a new one, the old file is kept as {kept}")
        conn = sqlite3.connect(self.path, timeout=self.timeout)
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
            conn.execute("DELETE FROM comparisons")
            conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", [("version", __version__), ("code", fingerprint)]
            )
        if cached:
            version = meta.get("version")
            # shown on the terminal: a version from the file, only when it is a short printable one
            shown = version if isinstance(version, str) and version.isprintable() and len(version) <= 40 else "?"
            self.warn(
                f"archive {self.path}: its {cached} cached file(s) were read by reporter {shown} "
                f"(another build); they are read again"
            )

    def _use(self, action: Callable[[], T]) -> T:
        """Run an action on the archive; when the file proves damaged, move it aside and run it on a new one."""
        try:
            return action()
        except (sqlite3.DatabaseError, codec.DecodeError, Damaged) as exc:
            if not is_damage(exc):
                raise
            self.conn = self._rebuild(self.conn, f"it is damaged ({exc})")
        return action()

    def _rows(self, kind: Any, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Return the rows of a query, each checked and made into `kind` (a dataclass or a tuple type)."""
        cursor = self.conn.execute(sql, params)
        convert = codec.decoder(kind)
        try:
            if dataclasses.is_dataclass(kind):  # its fields by column name
                names = [c[0] for c in cursor.description]
                return [convert(dict(zip(names, row, strict=True))) for row in cursor]
            return [convert(list(row)) for row in cursor]
        except codec.DecodeError as exc:
            table = sql.partition(" FROM ")[2].split()[0]
            raise Damaged(f"table {table}: {exc}") from None

    # --- the cache of readings -----------------------------------------------------

    def files(self, keys: Iterable[str]) -> dict[str, FileOutcome]:
        """Return the cached outcome of each key the archive holds."""
        wanted = list(keys)

        def read() -> dict[str, FileOutcome]:
            found: dict[str, FileOutcome] = {}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in self._rows(
                    tuple[str, bytes], f"SELECT key, outcome FROM files WHERE key IN ({marks})", chunk
                ):
                    found[key] = _decode(FileOutcome, blob, "file cache")
            return found

        return self._use(read)

    def store_files(self, outcomes: dict[str, FileOutcome]) -> None:
        now = _now()
        rows = [(k, blob, now) for k, v in outcomes.items() if (blob := _encode(FileOutcome, v)) is not None]

        def store() -> None:
            with self.conn:
                self.conn.executemany("INSERT OR IGNORE INTO files VALUES (?, ?, ?)", rows)

        self._use(store)

    def sentences(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Sentences]:
        """Return the cached sentences of each (article id, reference date) the archive holds."""
        by_article: dict[str, set[str]] = {}
        for article, reference in wanted:
            by_article.setdefault(article, set()).add(reference)
        ids = list(by_article)

        def read() -> dict[tuple[str, str], Sentences]:
            found: dict[tuple[str, str], Sentences] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._rows(
                    tuple[str, str, bytes],
                    f"SELECT article, reference, data FROM sentences WHERE article IN ({marks})",
                    chunk,
                )
                for article, reference, blob in rows:
                    if reference in by_article[article]:
                        found[(article, reference)] = _decode(Sentences, blob, "sentence cache")
            return found

        return self._use(read)

    def store_sentences(self, items: dict[tuple[str, str], Sentences]) -> None:
        rows = [(a, r, blob) for (a, r), s in items.items() if (blob := _encode(Sentences, s)) is not None]

        def store() -> None:
            with self.conn:
                self.conn.executemany("INSERT OR IGNORE INTO sentences VALUES (?, ?, ?)", rows)

        self._use(store)

    # --- the cache of events' comparisons ---------------------------------------------

    def comparisons(self, keys: Iterable[str]) -> dict[str, tuple[tuple[str, ...], EventComparison]]:
        """Return the stored members and comparison of each key the archive holds.

        A row that cannot be read as one is left out with a warning (its event is compared
        again and the row replaced): it costs one event's comparison, not the archive.
        """
        wanted = list(keys)

        def read() -> dict[str, tuple[tuple[str, ...], EventComparison]]:
            found: dict[str, tuple[tuple[str, ...], EventComparison]] = {}
            unreadable = 0
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.conn.execute(f"SELECT key, members, result FROM comparisons WHERE key IN ({marks})", chunk)
                for key, members, blob in rows:
                    try:
                        if type(members) is not str:
                            raise codec.DecodeError("members are not text")
                        found[key] = (
                            codec.loads(tuple[str, ...], members.encode()),
                            codec.loads(EventComparison, blob),
                        )
                    except codec.DecodeError:
                        unreadable += 1
            if unreadable:
                self.warn(
                    f"archive {self.path}: {plural(unreadable, 'stored event comparison')} could not be read; "
                    f"{'its event is' if unreadable == 1 else 'their events are'} compared again"
                )
            return found

        return self._use(read)

    def store_comparisons(self, items: dict[str, tuple[Event, EventComparison]], taken: Iterable[str] = ()) -> None:
        """Store events' comparisons by key, replacing what was there (a row found unfit), and mark those taken.

        Comparisons no run has stored or taken for KEEP_COMPARISONS days are dropped: an
        event that gained an article leaves its old comparison behind for good.
        """
        now = _now()
        rows = [
            (key, event.id, members.decode(), blob, now)
            for key, (event, result) in items.items()
            if (members := _encode(tuple[str, ...], event.articles)) is not None
            and (blob := _encode(EventComparison, result)) is not None
        ]
        used = [(now, key) for key in taken]
        stale = (datetime.now(tz=UTC) - timedelta(days=KEEP_COMPARISONS)).replace(microsecond=0).isoformat()

        def store() -> None:
            with self.conn:
                self.conn.executemany("INSERT OR REPLACE INTO comparisons VALUES (?, ?, ?, ?, ?)", rows)
                self.conn.executemany("UPDATE comparisons SET used = ? WHERE key = ?", used)
                self.conn.execute("DELETE FROM comparisons WHERE used < ?", (stale.replace("+00:00", "Z"),))

        self._use(store)

    # --- the history of briefings ----------------------------------------------------

    def last_briefing(self) -> PastBriefing | None:
        def read() -> PastBriefing | None:
            head = self._rows(
                tuple[int, str, str | None], "SELECT id, generated, window FROM briefings ORDER BY id DESC LIMIT 1"
            )
            if not head:
                return None
            number, generated, window = head[0]
            rows = self._rows(
                tuple[str, str, str | None],
                "SELECT path, article, event FROM briefing_articles WHERE briefing = ?",
                (number,),
            )
            articles = {path: article for path, article, _ in rows}
            events = {path: event for path, _, event in rows if event is not None}
            titles = dict(
                self._rows(tuple[str, str], "SELECT id, title FROM briefing_events WHERE briefing = ?", (number,))
            )
            flags = self._rows(
                PastFlag,
                "SELECT id, key, kind, severity, event, a_path, a_value, b_path, b_value, note "
                "FROM flags WHERE briefing = ? ORDER BY id",
                (number,),
            )
            return PastBriefing(number, generated, window, articles, tuple(flags), events, titles)

        return self._use(read)

    def record(self, briefing: Briefing, flags: Sequence[PastFlag]) -> int:
        """Store a briefing's articles, events and flags in one transaction; return its number."""
        return self._use(lambda: self._record(briefing, flags))

    def _record(self, briefing: Briefing, flags: Sequence[PastFlag]) -> int:
        event_of = {a: e.id for e in briefing.events for a in e.articles}
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
                "INSERT INTO briefing_articles VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        number,
                        a.root_path or a.path,
                        a.id,
                        a.published.isoformat() if a.published else None,
                        event_of.get(a.id),
                    )
                    for a in briefing.articles
                ],
            )
            self.conn.executemany(
                "INSERT INTO briefing_events VALUES (?, ?, ?)", [(number, e.id, e.title) for e in briefing.events]
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
        def read() -> Summary:
            meta = dict(self._rows(tuple[str, str], "SELECT key, value FROM meta"))
            count: Callable[[str], int] = lambda sql: self._rows(tuple[int], sql)[0][0]  # noqa: E731
            briefings = self._rows(
                BriefingRow,
                "SELECT id, generated, window, articles, events, conflicts, variants, dismissed "
                "FROM briefings ORDER BY id",
            )
            return Summary(
                path=self.path,
                schema=int(meta.get("schema", 0)),
                version=meta.get("version", "?"),
                files=count("SELECT count(*) FROM files"),
                articles=count("SELECT count(DISTINCT article) FROM sentences"),
                sentences=count("SELECT count(*) FROM sentences"),
                briefings=tuple(briefings),
                comparisons=count("SELECT count(*) FROM comparisons"),
            )

        return self._use(read)


def _decode(kind: Any, blob: bytes, what: str) -> Any:
    try:
        return codec.loads(kind, blob)
    except codec.DecodeError as exc:
        raise Damaged(f"{what}: {exc}") from None


def _encode(kind: Any, value: object) -> bytes | None:
    """Return a reading as the archive stores it, or None when JSON cannot hold it (it is then not cached)."""
    try:
        return codec.dumps(kind, value)
    except orjson.JSONEncodeError:  # text with a lone surrogate (from a JSON article's escapes)
        return None


def _now() -> str:
    return datetime.now(tz=UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_existing(path: Path, warn: Warn) -> Archive:
    """Open an archive that must already exist (for `reporter archive`)."""
    if not path.is_file():
        raise UsageError(f"no archive at {path} (a run with the archive enabled creates it)")
    return Archive(path, warn)
