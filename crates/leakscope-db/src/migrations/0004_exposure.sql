-- Migration 4: exposure audits (issue 17): one row per `leakscope exposure scan`, one per
-- exposed service (a finding, keyed by kind://host:port, with its exposure window), and one per
-- observation of a finding (new, unchanged, changed, reopened, closed) with what changed.
-- Documents hold counts, classes and masked names, never values. Placeholders as in migration 1.

CREATE TABLE exposure_scans (
    id {id},
    at TEXT NOT NULL,
    scope TEXT NOT NULL,
    targets TEXT NOT NULL,
    endpoints {int} NOT NULL,
    services {int} NOT NULL,
    findings {int} NOT NULL,
    document TEXT NOT NULL
);

CREATE TABLE exposure_findings (
    id {id},
    key TEXT NOT NULL UNIQUE,
    location TEXT NOT NULL,
    kind TEXT NOT NULL,
    host TEXT NOT NULL,
    port {int} NOT NULL,
    status TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    open_since TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    closed_at TEXT,
    observations {int} NOT NULL,
    records {int},
    people {int},
    sensitivity TEXT,
    finding TEXT NOT NULL,
    last_scan {int} REFERENCES exposure_scans (id) ON DELETE SET NULL
);
CREATE INDEX exposure_findings_status ON exposure_findings (status, last_seen);
CREATE INDEX exposure_findings_endpoint ON exposure_findings (host, port);

CREATE TABLE exposure_observations (
    id {id},
    finding_id {int} NOT NULL REFERENCES exposure_findings (id) ON DELETE CASCADE,
    scan_id {int} NOT NULL REFERENCES exposure_scans (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX exposure_observations_finding ON exposure_observations (finding_id, at);
