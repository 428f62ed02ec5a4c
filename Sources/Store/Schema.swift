/// One step of the schema. Migrations run in order, each in its own transaction,
/// and `PRAGMA user_version` records the last one applied.
package struct SQLiteMigration: Sendable {
    package let version: Int
    package let sql: String
    package init(version: Int, sql: String) { self.version = version; self.sql = sql }
}

/// The store's schema history. Append new migrations; never edit a shipped one.
package enum Schema {
    package static let migrations: [SQLiteMigration] = [
        SQLiteMigration(
            version: 1,
            sql: """
                CREATE TABLE runs (
                    id            INTEGER PRIMARY KEY,
                    sites         TEXT NOT NULL,              -- JSON array of start URLs
                    as_of         TEXT NOT NULL,              -- YYYY-MM-DD
                    options       TEXT NOT NULL DEFAULT '{}', -- JSON
                    started_at    TEXT NOT NULL,              -- ISO 8601 with offset
                    finished_at   TEXT,
                    status        TEXT NOT NULL,              -- running, done, interrupted, failed (RunStatus)
                    pages_fetched INTEGER NOT NULL DEFAULT 0,
                    pages_failed  INTEGER NOT NULL DEFAULT 0,
                    pages_skipped INTEGER NOT NULL DEFAULT 0,
                    score         REAL,
                    verdict       TEXT
                );
                CREATE INDEX runs_by_sites ON runs(sites, id);

                -- Every URL once; pages and links refer to it by id.
                CREATE TABLE urls (
                    id  INTEGER PRIMARY KEY,
                    url TEXT NOT NULL UNIQUE
                );

                CREATE TABLE pages (
                    run           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    url_id        INTEGER NOT NULL,
                    final_url     TEXT,                       -- NULL when the same as the URL
                    status        INTEGER NOT NULL,
                    class         TEXT NOT NULL,              -- ok, broken, blocked, tls-error
                    reason        TEXT NOT NULL,
                    content_type  TEXT,
                    charset       TEXT,
                    bytes         INTEGER NOT NULL,
                    seconds       REAL NOT NULL,
                    title         TEXT,
                    content_hash  TEXT,
                    depth         INTEGER NOT NULL,
                    crawled       INTEGER NOT NULL,
                    etag          TEXT,
                    last_modified TEXT,
                    PRIMARY KEY (run, url_id)
                ) WITHOUT ROWID;

                -- One row per distinct (source, target, kind) of a run, keyed by source: a batch
                -- holds the links of a few pages, so its rows land on a few adjacent b-tree leaves
                -- (keyed by target they would scatter over the whole table and every commit would
                -- rewrite thousands of pages). The primary key is the only index: the queries by
                -- target (broken-link sources, the resume frontier) scan the run's rows once. No
                -- foreign keys here: checks would cost a lookup per row on the hottest insert path.
                CREATE TABLE links (
                    run     INTEGER NOT NULL,
                    from_id INTEGER NOT NULL,
                    to_id   INTEGER NOT NULL,
                    kind    TEXT NOT NULL,
                    text    TEXT NOT NULL,
                    PRIMARY KEY (run, from_id, to_id, kind)
                ) WITHOUT ROWID;

                CREATE TABLE findings (
                    run        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    seq        INTEGER NOT NULL,              -- order within the run
                    id         TEXT NOT NULL,                 -- stable across runs
                    rule       TEXT NOT NULL,
                    indicator  TEXT NOT NULL,
                    severity   TEXT NOT NULL,
                    points     REAL NOT NULL,
                    url        TEXT NOT NULL,
                    subject    TEXT NOT NULL,
                    department TEXT NOT NULL,
                    found_on   TEXT NOT NULL,                 -- JSON array
                    message    TEXT NOT NULL,
                    evidence   TEXT NOT NULL,                 -- JSON object
                    PRIMARY KEY (run, seq)
                ) WITHOUT ROWID;
                CREATE INDEX findings_by_id ON findings(id, run);
                """),
        SQLiteMigration(
            version: 2,
            sql: """
                -- Availability samples (govsweep probe), independent of runs.
                CREATE TABLE probes (
                    id      INTEGER PRIMARY KEY,
                    url     TEXT NOT NULL,
                    at      REAL NOT NULL,                    -- unix time, seconds
                    status  INTEGER NOT NULL,
                    seconds REAL NOT NULL,
                    class   TEXT NOT NULL,
                    reason  TEXT NOT NULL
                );
                CREATE INDEX probes_by_url ON probes(url, at);
                """),
        SQLiteMigration(
            version: 3,
            sql: """
                -- The links of a page as one packed row (see LinkPack): a page's 40-80 links cost one
                -- b-tree insert instead of one each, a quarter of a sweep's CPU time before. Queries by
                -- target read the run's rows once, as they did before.
                DROP TABLE links;
                CREATE TABLE page_links (
                    run     INTEGER NOT NULL,
                    from_id INTEGER NOT NULL,
                    data    BLOB NOT NULL,
                    PRIMARY KEY (run, from_id)
                ) WITHOUT ROWID;
                """),
        SQLiteMigration(
            version: 4,
            sql: """
                -- What the inspector kept of each page (Inspect.PageFacts, packed), so that a later
                -- sweep can reuse it for a page that did not change instead of parsing it again.
                -- `key` fingerprints the build, profile and content data the facts were made
                -- with; `as_of` is set when they depend on the as-of day (year-less dates).
                CREATE TABLE page_facts (
                    run    INTEGER NOT NULL,
                    url_id INTEGER NOT NULL,
                    key    INTEGER NOT NULL,
                    as_of  TEXT,
                    data   BLOB NOT NULL,
                    PRIMARY KEY (run, url_id)
                ) WITHOUT ROWID;
                """),
        SQLiteMigration(
            version: 5,
            sql: """
                -- The as-of date of the first run of an unbroken series of finished runs of the same
                -- sites that had the finding: carried over from the previous run when it had the same
                -- id, else the run's own as-of. Kept per row so "first seen" never scans old runs.
                -- Rows written before this column existed count from their own run.
                ALTER TABLE findings ADD COLUMN first_seen TEXT;
                UPDATE findings SET first_seen = (SELECT as_of FROM runs WHERE runs.id = findings.run);
                """),
        // RunStatus's four values and nothing else (a CHECK cannot be added to a table that
        // exists; triggers refuse the same writes).
        SQLiteMigration(
            version: 6,
            sql: """
                CREATE TRIGGER runs_status_insert BEFORE INSERT ON runs
                WHEN NEW.status NOT IN ('running', 'done', 'interrupted', 'failed')
                BEGIN SELECT RAISE(ABORT, 'runs.status must be running, done, interrupted or failed'); END;
                CREATE TRIGGER runs_status_update BEFORE UPDATE OF status ON runs
                WHEN NEW.status NOT IN ('running', 'done', 'interrupted', 'failed')
                BEGIN SELECT RAISE(ABORT, 'runs.status must be running, done, interrupted or failed'); END;
                """),
    ]
}

extension Connection {
    /// The schema version recorded in the file.
    func userVersion() throws -> Int {
        try query("PRAGMA user_version") { $0.int(0) }.first ?? 0
    }

    /// Applies the migrations newer than the file's `user_version`, each in one transaction.
    func migrate(_ migrations: [SQLiteMigration]) throws {
        let latest = migrations.last?.version ?? 0
        let current = try userVersion()
        if current > latest {
            throw StoreError(path: path, message: "schema version \(current) is newer than this govsweep knows (\(latest)); upgrade govsweep")
        }
        for migration in migrations where migration.version > current {
            try transaction {
                // Another process may have migrated since we looked.
                guard try userVersion() < migration.version else { return }
                try exec(migration.sql)
                try exec("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}
