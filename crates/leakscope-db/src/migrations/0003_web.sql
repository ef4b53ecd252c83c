-- Migration 3: the web app (issue 16): local users (Argon2id password hashes, role, lock-out
-- state), server-side sessions (only a SHA-256 of the cookie's token is stored, with the
-- session's CSRF token), and the audit log of who did what (never a raw leaked value).
-- Placeholders as in migration 1.

CREATE TABLE web_users (
    id {id},
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_count {int} NOT NULL DEFAULT 0,
    last_failed_at TEXT,
    locked_until TEXT,
    last_login_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE web_sessions (
    id {id},
    token_hash TEXT NOT NULL UNIQUE,
    user_id {int} NOT NULL REFERENCES web_users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    client TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

CREATE TABLE web_audit (
    id {id},
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT,
    outcome TEXT NOT NULL DEFAULT 'ok',
    detail TEXT NOT NULL DEFAULT '',
    client TEXT
);
CREATE INDEX web_audit_at ON web_audit (at);
