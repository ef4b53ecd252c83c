-- Migration 1: watchlists, feeds, claims and their sources, watchlist hits, webhooks and
-- deliveries (issue 14). Placeholders: {id} (auto-increment primary key), {int} (64-bit
-- integer), {real}, {blob} — replaced per backend (SQLite / PostgreSQL).

CREATE TABLE watch_entries (
    id {id},
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    domains TEXT NOT NULL DEFAULT '[]',
    parent TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (kind, name_key)
);

CREATE TABLE feeds (
    id {id},
    url TEXT NOT NULL UNIQUE,
    name TEXT,
    format TEXT,
    etag TEXT,
    last_modified TEXT,
    last_polled_at TEXT,
    last_status {int},
    last_error TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE claims (
    id {id},
    claim_id TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL UNIQUE,
    simhash {int} NOT NULL,
    posted_at TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    kinds TEXT NOT NULL,
    status TEXT,
    countries TEXT NOT NULL DEFAULT '',
    victims TEXT NOT NULL DEFAULT '',
    title TEXT,
    lang TEXT,
    document TEXT NOT NULL,
    text_masked TEXT NOT NULL,
    hit_count {int} NOT NULL DEFAULT 0
);
CREATE INDEX claims_posted_at ON claims (posted_at);
CREATE INDEX claims_first_seen_at ON claims (first_seen_at);

CREATE TABLE claim_sources (
    id {id},
    claim_id {int} NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    source_kind TEXT NOT NULL,
    feed_id {int} REFERENCES feeds (id) ON DELETE SET NULL,
    location TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '',
    url TEXT,
    seen_at TEXT NOT NULL,
    UNIQUE (claim_id, location, item)
);

CREATE TABLE feed_items (
    feed_id {int} NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    claim_id {int} REFERENCES claims (id) ON DELETE SET NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, guid)
);

CREATE TABLE watch_hits (
    id {id},
    claim_id {int} NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    entry_id {int} NOT NULL REFERENCES watch_entries (id) ON DELETE CASCADE,
    how TEXT NOT NULL,
    field TEXT NOT NULL,
    why TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (claim_id, entry_id, how, field)
);

CREATE TABLE webhooks (
    id {id},
    url TEXT NOT NULL UNIQUE,
    name TEXT,
    format TEXT NOT NULL DEFAULT 'slack',
    enabled {int} NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE deliveries (
    id {id},
    webhook_id {int} NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    claim_id {int} NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    attempts {int} NOT NULL DEFAULT 0,
    last_attempt_at TEXT,
    next_attempt_at TEXT,
    http_status {int},
    error TEXT,
    delivered_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (webhook_id, claim_id)
);
CREATE INDEX deliveries_status ON deliveries (status);
