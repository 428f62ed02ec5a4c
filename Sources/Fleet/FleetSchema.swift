#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
package import PGStore

/// The fleet's tables, as migrations of the component "fleet": version N is
/// `migrations[N - 1]`, applied once, in order, by the store's migrator (`govsweep fleet
/// init`). Add a migration at the end; never edit one that has shipped.
///
/// - `fleet_sites`: one row a site (SITES.csv), keyed by its first start URL.
/// - `fleet_site_hosts` / `fleet_hosts`: the authorities a site's start URLs are on; a worker
///   holds a host row (job and lease) while it sweeps, so two workers never sweep one host.
/// - `fleet_rounds`: a round is an as-of date and the sites it takes.
/// - `fleet_jobs`: one a site and round; `queued` → `running` (worker, attempt, lease,
///   heartbeat, claimed at, pages so far, run id) → `done` (pages, score, verdict) or `failed` (reason).
/// - `fleet_job_files`: the site's report of a done job (report.html, findings.json, …),
///   written with the job's end so `fleet report` writes exactly what the sweep wrote.
package enum FleetSchema {
    package static let component = "fleet"

    package static let migrations: [Migration] = [
        Migration(
            component: component, version: 1,
            sql: """
                CREATE TABLE fleet_sites (
                    id BIGSERIAL PRIMARY KEY,
                    site_key TEXT NOT NULL UNIQUE,
                    urls TEXT NOT NULL,
                    name TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    region TEXT NOT NULL,
                    profile_name TEXT,
                    inputs JSONB NOT NULL DEFAULT '{}',
                    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE TABLE fleet_hosts (
                    host TEXT PRIMARY KEY,
                    job_id BIGINT,
                    lease_until TIMESTAMPTZ
                );
                CREATE TABLE fleet_site_hosts (
                    site_id BIGINT NOT NULL REFERENCES fleet_sites(id) ON DELETE CASCADE,
                    host TEXT NOT NULL REFERENCES fleet_hosts(host),
                    PRIMARY KEY (site_id, host)
                );
                CREATE TABLE fleet_rounds (
                    id BIGSERIAL PRIMARY KEY,
                    as_of DATE NOT NULL,
                    filter TEXT NOT NULL DEFAULT '',
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE TABLE fleet_jobs (
                    id BIGSERIAL PRIMARY KEY,
                    round_id BIGINT NOT NULL REFERENCES fleet_rounds(id) ON DELETE CASCADE,
                    site_id BIGINT NOT NULL REFERENCES fleet_sites(id),
                    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
                    attempt INT NOT NULL DEFAULT 0,
                    worker TEXT,
                    lease_until TIMESTAMPTZ,
                    heartbeat_at TIMESTAMPTZ,
                    started_at TIMESTAMPTZ,
                    finished_at TIMESTAMPTZ,
                    run_id BIGINT,
                    error TEXT,
                    pages INT NOT NULL DEFAULT 0,
                    score DOUBLE PRECISION,
                    verdict TEXT,
                    vetoes TEXT NOT NULL DEFAULT '',
                    deductions JSONB NOT NULL DEFAULT '{}',
                    profile TEXT,
                    findings INT,
                    UNIQUE (round_id, site_id)
                );
                CREATE INDEX fleet_jobs_open ON fleet_jobs (round_id, id) WHERE state IN ('queued', 'running');
                CREATE TABLE fleet_job_files (
                    job_id BIGINT NOT NULL REFERENCES fleet_jobs(id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    body BYTEA NOT NULL,
                    PRIMARY KEY (job_id, path)
                );
                """),
        // When the running attempt was claimed (started_at is the first attempt's), for the
        // elapsed time `fleet status` shows beside the pages the heartbeat writes.
        Migration(component: component, version: 2, sql: "ALTER TABLE fleet_jobs ADD COLUMN claimed_at TIMESTAMPTZ;"),
        // A done job's report (report.html, findings.json, …) compressed with lz4 rather than
        // pglz, as the store's blobs (store version 2); a server built without lz4 keeps pglz.
        Migration(
            component: component, version: 3,
            sql: """
                DO $lz4$ BEGIN
                    ALTER TABLE fleet_job_files ALTER COLUMN body SET COMPRESSION lz4;
                EXCEPTION WHEN feature_not_supported THEN NULL;
                END $lz4$;
                """),
    ]

    /// The store's migrations and the fleet's, in the order they build on each other.
    package static var all: [Migration] { PGSchema.migrations + migrations }
}
#endif
