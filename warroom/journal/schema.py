"""Numbered migrations. The journal's schema version is SQLite's `user_version`.

Append a new string to MIGRATIONS to change the schema; never edit a released one.
"""

from __future__ import annotations

EVENTS = """
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    occurred_at     TEXT NOT NULL,          -- UTC, fixed width: text order is time order
    occurred_offset TEXT NOT NULL,          -- the source's own UTC offset, e.g. -05:00
    recorded_at     TEXT NOT NULL,
    recorded_offset TEXT NOT NULL,
    actor           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject         TEXT,
    data            TEXT NOT NULL,          -- canonical JSON, hashed as stored
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX events_occurred ON events(occurred_at, id);
CREATE INDEX events_kind ON events(kind, occurred_at);
CREATE INDEX events_subject ON events(subject);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- the head of the chain, moved in the same transaction as each append:
-- a deleted tail leaves the head pointing at an event that is gone
CREATE TABLE chain_head (
    one   INTEGER PRIMARY KEY CHECK (one = 1),
    id    INTEGER NOT NULL,
    hash  TEXT NOT NULL,
    count INTEGER NOT NULL
);
"""

PROJECTIONS = """
CREATE TABLE incidents (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    description   TEXT,
    opened_at     TEXT NOT NULL,
    posted_at     TEXT,                     -- earliest known exposure
    discovered_at TEXT,
    closed_at     TEXT,
    event_id      INTEGER NOT NULL
);

CREATE TABLE artifacts (
    sha256       TEXT PRIMARY KEY,
    size         INTEGER NOT NULL,
    source       TEXT NOT NULL,             -- URL or local path it came from
    final_url    TEXT,
    http_status  INTEGER,
    headers      TEXT,                      -- JSON
    filename     TEXT,
    path         TEXT NOT NULL,             -- the sealed evidence copy
    acquired_at  TEXT NOT NULL,
    acquisitions INTEGER NOT NULL DEFAULT 1,
    format       TEXT,
    records      INTEGER,
    scan         TEXT,                      -- JSON summary of the last scan
    uses         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    person_key      TEXT NOT NULL UNIQUE,   -- 'A:<9 digits>' or 'N:<name>|<birth date>'
    a_number        TEXT,
    family_name     TEXT,
    given_names     TEXT,
    full_name       TEXT,
    birth_date      TEXT,
    nationality     TEXT,
    facility        TEXT,
    custody_status  TEXT,
    counsel         TEXT,
    high_risk       INTEGER NOT NULL DEFAULT 0,
    risk_flags      TEXT NOT NULL DEFAULT '[]',
    notify_state    TEXT NOT NULL DEFAULT 'pending',
    notify_channel  TEXT,
    notified_at     TEXT,
    hold_state      TEXT NOT NULL DEFAULT 'none',
    hold_until      TEXT,
    source_artifact TEXT REFERENCES artifacts(sha256),
    sources         INTEGER NOT NULL DEFAULT 1,
    event_id        INTEGER NOT NULL
);
CREATE INDEX people_a_number ON people(a_number);
CREATE INDEX people_name ON people(full_name);
CREATE INDEX people_nationality ON people(nationality);
CREATE INDEX people_notify ON people(notify_state);
CREATE INDEX people_hold ON people(hold_state);
CREATE INDEX people_risk ON people(high_risk);

CREATE TABLE locations (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'unknown',
    live_since      TEXT,
    down_since      TEXT,
    verified_at     TEXT,
    last_checked_at TEXT,
    last_status     INTEGER,
    last_sha256     TEXT,
    note            TEXT,
    event_id        INTEGER NOT NULL
);
CREATE INDEX locations_state ON locations(state);

CREATE TABLE downloaders (
    id            INTEGER PRIMARY KEY,
    client        TEXT NOT NULL UNIQUE,
    complete      INTEGER NOT NULL DEFAULT 0,
    bot           INTEGER NOT NULL DEFAULT 0,
    bytes         INTEGER NOT NULL DEFAULT 0,
    requests      INTEGER NOT NULL DEFAULT 0,
    first_seen    TEXT,
    last_seen     TEXT,
    user_agents   TEXT NOT NULL DEFAULT '[]',
    organisation  TEXT,
    contact_state TEXT NOT NULL DEFAULT 'unidentified',
    attested_at   TEXT,
    event_id      INTEGER NOT NULL
);
CREATE INDEX downloaders_contact ON downloaders(contact_state);

CREATE TABLE tips (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    received_at  TEXT NOT NULL,
    source       TEXT NOT NULL,
    text         TEXT NOT NULL,
    url          TEXT,
    confidential INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'new',
    person_id    INTEGER REFERENCES people(id),
    event_id     INTEGER NOT NULL
);
CREATE INDEX tips_state ON tips(state);

CREATE TABLE tasks (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE,
    checklist TEXT NOT NULL,                -- general, notify, hold, downloader
    title     TEXT NOT NULL,
    due_at    TEXT,
    state     TEXT NOT NULL DEFAULT 'open',
    assignee  TEXT,
    subject   TEXT,
    done_at   TEXT,
    note      TEXT,
    event_id  INTEGER NOT NULL
);
CREATE INDEX tasks_state ON tasks(checklist, state);
"""

IMPORTS = """
-- An import into the roster: journaled at its start and its end, so an unfinished one
-- (a process killed half-way) is named by verify, the console and scan, and resumed.
CREATE TABLE imports (
    import_id     TEXT PRIMARY KEY,
    artifact      TEXT,
    people        INTEGER NOT NULL,
    batch_size    INTEGER NOT NULL,
    batches       INTEGER NOT NULL,
    batches_done  INTEGER NOT NULL DEFAULT 0,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    event_id      INTEGER NOT NULL
);
CREATE INDEX imports_unfinished ON imports(finished_at) WHERE finished_at IS NULL;
"""

VAULT = """
-- Keys of an encrypted journal (the evidence copies' data key): kept only inside the
-- encrypted file, never in an event (events are exported and anchored).
CREATE TABLE vault (
    name      TEXT PRIMARY KEY,
    material  BLOB NOT NULL
);
"""

PROBES_AND_TAKEDOWNS = """
-- what the probes learned: the run of negative checks the confirmation rule counts (kept
-- here, so every probe process and the console decide from the same journal state), and the
-- last check's evidence
ALTER TABLE locations ADD COLUMN checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE locations ADD COLUMN negatives INTEGER NOT NULL DEFAULT 0;
ALTER TABLE locations ADD COLUMN first_negative_at TEXT;
ALTER TABLE locations ADD COLUMN last_verdict TEXT;
ALTER TABLE locations ADD COLUMN last_match TEXT;
ALTER TABLE locations ADD COLUMN last_share REAL;
ALTER TABLE locations ADD COLUMN last_artifact TEXT;
ALTER TABLE locations ADD COLUMN last_error TEXT;

-- requests to pull the file from a location: one open request a location and a way of asking
CREATE TABLE takedowns (
    id           INTEGER PRIMARY KEY,
    request_id   TEXT NOT NULL UNIQUE,
    url          TEXT NOT NULL,
    via          TEXT NOT NULL,
    state        TEXT NOT NULL,
    ref          TEXT,
    note         TEXT,
    reason       TEXT,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    updated_by   TEXT,
    updated_at   TEXT NOT NULL,
    closed_at    TEXT,
    closed_by    TEXT,                      -- a responder, or 'verified_down' (event id)
    event_id     INTEGER NOT NULL
);
CREATE INDEX takedowns_url ON takedowns(url);
CREATE UNIQUE INDEX takedowns_open ON takedowns(url, via)
    WHERE state IN ('requested', 'acknowledged');
"""

ACCESS_LOGS = """
-- Access-log imports (logs_imported events): one row an import, superseded_by set when a
-- later import of the same path read the same files (and maybe more).
CREATE TABLE log_imports (
    logs          TEXT PRIMARY KEY,         -- digest of the path and the files' fingerprints
    path          TEXT NOT NULL,
    files         TEXT NOT NULL,            -- JSON: file, format, lines, bad_lines, ...
    lines         INTEGER NOT NULL,
    bad_lines     INTEGER NOT NULL,
    downloaders   INTEGER NOT NULL,
    size          INTEGER,
    first_access  TEXT,
    last_access   TEXT,
    imported_at   TEXT NOT NULL,
    superseded_by TEXT,
    event_id      INTEGER NOT NULL
);
CREATE INDEX log_imports_path ON log_imports(path, superseded_by);

-- What each import says of each client; a downloaders row adds up its client's rows here,
-- so importing the same logs again replaces its share instead of adding to it.
CREATE TABLE downloads (
    logs        TEXT NOT NULL,              -- log_imports.logs, or 'event:<id>' for one entry
    client      TEXT NOT NULL,
    complete    INTEGER NOT NULL,
    bot         INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    requests    INTEGER NOT NULL,
    first_seen  TEXT,
    last_seen   TEXT,
    user_agents TEXT NOT NULL,              -- JSON list
    event_id    INTEGER NOT NULL,
    PRIMARY KEY (logs, client)
);
CREATE INDEX downloads_client ON downloads(client);

-- pages of the Downloaders list, in first-seen order, filtered or not
CREATE INDEX downloaders_seen ON downloaders(first_seen, id);
CREATE INDEX downloaders_complete ON downloaders(complete, first_seen, id);
CREATE INDEX downloaders_bot ON downloaders(bot, first_seen, id);
"""

CHECKLISTS = """
-- Per person: the notification (language, attempts with dates, acknowledgement), the
-- removal hold (type, who placed it and when, its days after notice, the scheduled and the
-- executed removal, the custody review) and the last checklist event that touched them (its
-- actor and recorded time say who last worked on the person, and when).
ALTER TABLE people ADD COLUMN language TEXT;
ALTER TABLE people ADD COLUMN notify_attempts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE people ADD COLUMN notify_since TEXT;
ALTER TABLE people ADD COLUMN acknowledged_at TEXT;
ALTER TABLE people ADD COLUMN notify_note TEXT;
ALTER TABLE people ADD COLUMN hold_type TEXT;
ALTER TABLE people ADD COLUMN hold_days INTEGER;
ALTER TABLE people ADD COLUMN hold_placed_at TEXT;
ALTER TABLE people ADD COLUMN hold_event INTEGER;
ALTER TABLE people ADD COLUMN hold_ended_at TEXT;
ALTER TABLE people ADD COLUMN hold_note TEXT;
ALTER TABLE people ADD COLUMN removal_date TEXT;
ALTER TABLE people ADD COLUMN removed_at TEXT;
ALTER TABLE people ADD COLUMN custody_review TEXT;
ALTER TABLE people ADD COLUMN touched_event INTEGER;
CREATE INDEX people_facility ON people(facility);
-- the work order: scheduled removal soonest, then high-risk, then the rest
CREATE INDEX people_work ON people(coalesce(removal_date, '9999-12-31'), high_risk DESC, id);

-- Per downloader: whom to write to, and when each step of the contact happened.
ALTER TABLE downloaders ADD COLUMN contact TEXT;
ALTER TABLE downloaders ADD COLUMN contact_at TEXT;
ALTER TABLE downloaders ADD COLUMN clawback_at TEXT;
ALTER TABLE downloaders ADD COLUMN chased_at TEXT;
ALTER TABLE downloaders ADD COLUMN contact_note TEXT;
ALTER TABLE downloaders ADD COLUMN touched_event INTEGER;

-- Per task: the owning role, a due time relative to T0 (read as T0 + offset, so a
-- discovery time learned later moves it), the procedure step that completes it, and the
-- event that closed it (its actor is who did it).
ALTER TABLE tasks ADD COLUMN owner TEXT;
ALTER TABLE tasks ADD COLUMN due_offset INTEGER;
ALTER TABLE tasks ADD COLUMN step TEXT;
ALTER TABLE tasks ADD COLUMN done_event INTEGER;
CREATE INDEX tasks_step ON tasks(step);

-- The procedure steps taken so far (cisa_reported, brt_convened, ...): the first of each
-- (for each client, when the step names one: a crawler's removal request).
-- A task added after its step was taken is born done.
CREATE TABLE steps (
    kind      TEXT NOT NULL,
    subject   TEXT NOT NULL,                -- the client it names, or ''
    first_at  TEXT NOT NULL,
    event_id  INTEGER NOT NULL,
    PRIMARY KEY (kind, subject)
);
"""

# ---------------------------------------------------------------- tips and intake tokens

TIPS_INTAKE = """
-- A tip's contact, channel, URLs, A-numbers (and which the roster held on receipt), the
-- organisation whose token sent it, and its triage: who moved it last, when and why.
ALTER TABLE tips ADD COLUMN contact TEXT;
ALTER TABLE tips ADD COLUMN channel TEXT;
ALTER TABLE tips ADD COLUMN org TEXT;
ALTER TABLE tips ADD COLUMN urls TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tips ADD COLUMN a_numbers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tips ADD COLUMN in_roster TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tips ADD COLUMN handled_by TEXT;
ALTER TABLE tips ADD COLUMN reason TEXT;
ALTER TABLE tips ADD COLUMN state_at TEXT;
ALTER TABLE tips ADD COLUMN triages INTEGER NOT NULL DEFAULT 0;

-- Intake tokens, one row a token: only the sha256 of the token is ever stored.
CREATE TABLE intake_tokens (
    token_hash  TEXT PRIMARY KEY,
    token_id    TEXT NOT NULL,              -- the hash's first 12 hex digits, to name it
    org         TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    revoked_at  TEXT,
    event_id    INTEGER NOT NULL
);
CREATE INDEX intake_tokens_org ON intake_tokens(org);
"""

# ---------------------------------------------------------------- identities (issue 11)

IDENTITIES = """
-- Every identity of a person whose A-number came with more than one (another name or birth
-- date: model/identity.py): the first one the roster held and each other, where each came
-- from. A person with no row here has one identity (the people row's). people.risk_flags
-- gains 'identity_conflict' for them.
CREATE TABLE identities (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES people(id),
    full_name       TEXT,
    birth_date      TEXT,
    nationality     TEXT,
    facility        TEXT,
    source_artifact TEXT,
    event_id        INTEGER NOT NULL            -- the import event that brought it
);
CREATE INDEX identities_person ON identities(person_id);
CREATE INDEX identities_event ON identities(event_id);
"""

REREAD = """
-- The birth-date order a responder settled for an import (--date-order: 'dmy' or 'mdy'), and
-- how many people's birth dates it corrected from an earlier reading of the same artifact.
ALTER TABLE imports ADD COLUMN date_order TEXT;
ALTER TABLE imports ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;
"""

MIGRATIONS: list[str] = [EVENTS + PROJECTIONS, IMPORTS, VAULT, PROBES_AND_TAKEDOWNS,
                         ACCESS_LOGS, CHECKLISTS, TIPS_INTAKE, IDENTITIES, REREAD]

# Tables rebuilt from events by `verify`, with the key that orders their rows.
PROJECTION_TABLES: dict[str, str] = {
    "incidents": "id",
    "artifacts": "sha256",
    "people": "id",
    "locations": "id",
    "downloaders": "id",
    "tips": "id",
    "tasks": "id",
    "imports": "import_id",
    "takedowns": "id",
    "log_imports": "logs",
    "downloads": "logs, client",
    "steps": "kind, subject",   # checklists (issue 9)
    "intake_tokens": "token_hash",   # tips and intake
    "identities": "id",              # conflicting identities (issue 11)
}

SCHEMA_VERSION = len(MIGRATIONS)

# Migrations after which the projections mean something else for the same events: the
# tables are rebuilt from the events, in the migration's transaction, so a journal written by
# an older program reads as a new one would have written it (and `verify` agrees). By the
# migration's index in MIGRATIONS.
REPROJECT = {
    MIGRATIONS.index(IDENTITIES): "another identity of an A-number is kept, not merged",
}
