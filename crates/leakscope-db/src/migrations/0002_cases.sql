-- Migration 2: cases (issue 15): a case, its events, the artefacts it was given (by content
-- hash: files are never copied into the database) and the documents its analyses produced
-- (claim, scan, verify, overlap, obligations — masked, no raw personal data). Placeholders as in
-- migration 1.

CREATE TABLE cases (
    id {id},
    uuid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    lang TEXT NOT NULL DEFAULT 'en',
    tlp TEXT NOT NULL DEFAULT 'amber',
    timezone TEXT NOT NULL DEFAULT 'UTC',
    claim_row {int} REFERENCES claims (id) ON DELETE SET NULL,
    facts TEXT NOT NULL DEFAULT '{}',
    reference TEXT,
    aware_at TEXT,
    verdict TEXT,
    sensitivity TEXT,
    people {int},
    merchants {int},
    next_due TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    close_reason TEXT
);
CREATE INDEX cases_status ON cases (status, updated_at);

CREATE TABLE case_artefacts (
    id {id},
    case_id {int} NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    location TEXT,
    bytes {int} NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (case_id, sha256, kind)
);

CREATE TABLE case_documents (
    id {id},
    case_id {int} NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    schema_id TEXT NOT NULL,
    basis TEXT NOT NULL DEFAULT 'sample',
    run {int} NOT NULL DEFAULT 0,
    artefacts TEXT NOT NULL DEFAULT '',
    document TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents (case_id, kind, id);

CREATE TABLE case_events (
    id {id},
    case_id {int} NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    actor TEXT,
    artefact_id {int} REFERENCES case_artefacts (id) ON DELETE SET NULL,
    document_id {int} REFERENCES case_documents (id) ON DELETE SET NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, at);
