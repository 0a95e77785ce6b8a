-- Docket catalogue, schema version 1. Plain SQLite: open it with sqlite3 or Datasette.
-- JSON columns hold JSON text; times are ISO 8601 UTC strings.

CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,          -- schema_version, case_id, custody_seq, custody_head, created, entity_links
  value TEXT
);

CREATE TABLE IF NOT EXISTS runs (
  id        INTEGER PRIMARY KEY,
  started   TEXT NOT NULL,
  finished  TEXT,
  command   TEXT NOT NULL,         -- argv as JSON
  docket    TEXT NOT NULL,         -- Docket version
  actor     TEXT NOT NULL,         -- {"user","host","pid"} as JSON
  sources   TEXT,                  -- JSON list of absolute source paths
  executor  TEXT,                  -- "local:N" or a cluster address
  status    TEXT NOT NULL,         -- running | completed | interrupted | aborted | disk-full
  reason    TEXT                   -- why an aborted or disk-full run stopped
);

CREATE TABLE IF NOT EXISTS items (
  rowid       INTEGER PRIMARY KEY,  -- processing order
  id          TEXT NOT NULL UNIQUE, -- stable: derived from source and path
  parent_id   TEXT,                 -- container item, NULL for files from a source
  seq         INTEGER NOT NULL DEFAULT 0,  -- position among the parent's children
  path        TEXT NOT NULL,        -- JSON list: source path, then each container path
  name        TEXT NOT NULL,        -- last path element
  depth       INTEGER NOT NULL,
  source      TEXT,                 -- absolute path on disk (files from a source only)
  sha256      TEXT,
  md5         TEXT,
  sha1        TEXT,
  size        INTEGER,
  type        TEXT,                 -- detected by content (docket.extract.types)
  mime        TEXT,
  extension   TEXT,
  ext_mismatch INTEGER NOT NULL DEFAULT 0,
  deleted     INTEGER NOT NULL DEFAULT 0,
  fs          TEXT,                 -- JSON: file-system metadata (times, inode, mode)
  metadata    TEXT,                 -- JSON: embedded metadata (author, dates, headers…)
  status      TEXT NOT NULL,        -- pending|ok|partial|failed|encrypted|unsupported|skipped
  code        TEXT,                 -- error or reason code (docket.model.errors.Code)
  message     TEXT,                 -- human explanation
  extractor   TEXT,
  lang        TEXT,
  duplicate_of TEXT,                -- first item (by rowid) with the same sha256
  indexed     INTEGER NOT NULL DEFAULT 0,  -- 1 once in the full-text index
  run_id      INTEGER               -- run that last processed the item
);
CREATE INDEX IF NOT EXISTS items_status ON items(status);
CREATE INDEX IF NOT EXISTS items_parent ON items(parent_id);
CREATE INDEX IF NOT EXISTS items_sha256 ON items(sha256);
CREATE INDEX IF NOT EXISTS items_indexed ON items(indexed) WHERE indexed = 0;

CREATE TABLE IF NOT EXISTS segments (
  item_id  TEXT NOT NULL,
  seq      INTEGER NOT NULL,
  start    INTEGER NOT NULL,        -- character offset of the segment in the item's text
  text     TEXT NOT NULL,
  page     INTEGER,
  sheet    TEXT,
  row      INTEGER,
  part     TEXT,
  PRIMARY KEY (item_id, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS warnings (
  item_id  TEXT NOT NULL,
  code     TEXT NOT NULL,
  message  TEXT NOT NULL,
  enricher TEXT                     -- set when an enricher, not extraction, warned
);
CREATE INDEX IF NOT EXISTS warnings_item ON warnings(item_id);

CREATE TABLE IF NOT EXISTS mentions (
  id       INTEGER PRIMARY KEY,
  item_id  TEXT NOT NULL,
  segment  INTEGER NOT NULL,        -- segments.seq of the item
  start    INTEGER NOT NULL,        -- character offsets within that segment
  "end"    INTEGER NOT NULL,
  kind     TEXT NOT NULL,           -- date|money|phone|email|iban|url|person|org|place|id
  text     TEXT NOT NULL,           -- as written
  value    TEXT,                    -- normalised (ISO date, "1500 USD", …)
  method   TEXT NOT NULL,           -- how it was found
  attrs    TEXT,                    -- JSON
  enricher TEXT                     -- the enricher that found it (docket.enrich.ENRICHERS)
);
CREATE INDEX IF NOT EXISTS mentions_item ON mentions(item_id);
CREATE INDEX IF NOT EXISTS mentions_kind_value ON mentions(kind, value);

-- The enrich stage's progress: which enrichers have run on an item, at which version
-- (meta "enricher_version:<name>", bumped by "docket enrich --only NAME"). An item is
-- enriched when it has a row for every selected enricher at its current version.
CREATE TABLE IF NOT EXISTS enrichment (
  item_id  TEXT NOT NULL,
  enricher TEXT NOT NULL,
  version  TEXT NOT NULL,
  PRIMARY KEY (item_id, enricher)
) WITHOUT ROWID;

-- Rows of tables turned into records (a roster line, a payment), linked to sheet and row.
CREATE TABLE IF NOT EXISTS records (
  id       INTEGER PRIMARY KEY,
  item_id  TEXT NOT NULL,
  sheet    TEXT,
  row      INTEGER,
  kind     TEXT NOT NULL,           -- person | payment | row
  fields   TEXT NOT NULL,           -- JSON: typed columns {"payee", "amount", "currency", "date", …}
  method   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_item ON records(item_id);

-- Sender -> recipient edges from letters and e-mails.
CREATE TABLE IF NOT EXISTS relations (
  id       INTEGER PRIMARY KEY,
  item_id  TEXT NOT NULL,
  kind     TEXT NOT NULL,           -- correspondence | payment | cooccurrence
  source   TEXT NOT NULL,           -- name or address as written
  target   TEXT NOT NULL,
  date     TEXT,
  attrs    TEXT,                    -- JSON: subject, amount…
  method   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS relations_item ON relations(item_id);

-- Resolved entities (people, organisations, places) and what each is made of.
CREATE TABLE IF NOT EXISTS entities (
  id       TEXT PRIMARY KEY,        -- stable: derived from the cluster's first member
  type     TEXT NOT NULL,           -- person | org | place
  name     TEXT NOT NULL,           -- display name
  variants TEXT NOT NULL,           -- JSON list of spellings
  mentions INTEGER NOT NULL DEFAULT 0,
  explain  TEXT                     -- JSON: why the members were joined
);
CREATE TABLE IF NOT EXISTS entity_members (
  entity_id  TEXT NOT NULL,
  member     TEXT NOT NULL,         -- "mention:<id>" | "record:<id>" | "relation:<id>:source|target"
  PRIMARY KEY (entity_id, member)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_members_member ON entity_members(member);
-- Derived from entity_members and mentions by docket.store.links, rebuilt by every
-- resolution run: entities named in the same items, counted over every item.
CREATE TABLE IF NOT EXISTS entity_links (
  a        TEXT NOT NULL,           -- entity id, a < b
  b        TEXT NOT NULL,           -- entity id
  kind     TEXT NOT NULL,           -- cooccurrence
  weight   INTEGER NOT NULL,        -- items naming both
  PRIMARY KEY (a, b, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_links_b ON entity_links(b, weight);

-- Analyst decisions, re-applied on every resolution run; they win over the algorithm.
CREATE TABLE IF NOT EXISTS decisions (
  id       INTEGER PRIMARY KEY,
  time     TEXT NOT NULL,
  kind     TEXT NOT NULL,           -- merge | split
  payload  TEXT NOT NULL,           -- JSON
  actor    TEXT
);

-- Authenticity signals per item.
CREATE TABLE IF NOT EXISTS signals (
  id       INTEGER PRIMARY KEY,
  item_id  TEXT NOT NULL,
  kind     TEXT NOT NULL,
  severity TEXT NOT NULL,           -- high | medium | low | info
  detail   TEXT NOT NULL,
  evidence TEXT                     -- JSON
);
CREATE INDEX IF NOT EXISTS signals_item ON signals(item_id);

-- Analyst findings: notes and tags citing an item, page, row or entity.
CREATE TABLE IF NOT EXISTS findings (
  id       INTEGER PRIMARY KEY,
  time     TEXT NOT NULL,
  author   TEXT,
  title    TEXT NOT NULL,
  note     TEXT,
  tags     TEXT,                    -- JSON list
  cites    TEXT NOT NULL,           -- JSON list of {"item", "page"?, "sheet"?, "row"?, "entity"?, "quote"?}
  state    TEXT,                    -- draft | checked | published (NULL: draft)
  version  INTEGER,                 -- 1, then one more at each edit (NULL: 1)
  updated  TEXT,                    -- time and analyst of the last edit or review
  editor   TEXT
);

-- Hash sets of known files (NSRL and the like): matching items are skipped, not read.
CREATE TABLE IF NOT EXISTS known_hashes (
  hash     TEXT PRIMARY KEY,        -- lower-case hex: sha256, sha1 or md5
  source   TEXT
) WITHOUT ROWID;

-- Redaction marks (docket redact, docket publish): a text span (segment and offsets) or a
-- region (a box on a page image, fractions of the page's width and height), each with
-- the kind of thing it hides and why; suggested or drawn, then accepted or rejected.
CREATE TABLE IF NOT EXISTS marks (
  id        INTEGER PRIMARY KEY,
  item_id   TEXT NOT NULL,
  kind      TEXT NOT NULL,           -- person | phone | email | iban | address | plate | face | box
  segment   INTEGER,                 -- a span: segments.seq of the item, offsets within it
  start     INTEGER,
  "end"     INTEGER,
  page      INTEGER,                 -- a region: the page (1-based), box as JSON [x0, y0, x1, y1]
  box       TEXT,
  text      TEXT,                    -- what the mark hides, as written (spans)
  entity_id TEXT,                    -- the person whose spellings were proposed
  reason    TEXT NOT NULL,
  origin    TEXT NOT NULL,           -- suggested | drawn
  state     TEXT NOT NULL,           -- proposed | accepted | rejected
  time      TEXT NOT NULL,
  reviewer  TEXT,                    -- who accepted or rejected it
  decided   TEXT
);
CREATE INDEX IF NOT EXISTS marks_item ON marks(item_id);
-- People the analyst marked public (an official, a leader writing under an alias): their
-- names are not proposed for redaction. Kept by spelling so it survives re-resolution.
CREATE TABLE IF NOT EXISTS public_names (
  name      TEXT PRIMARY KEY,          -- normalised spelling (docket.text.normalize)
  entity_id TEXT,
  time      TEXT NOT NULL,
  actor     TEXT,
  reason    TEXT
) WITHOUT ROWID;

-- Alias links (docket.resolve.aliases): a name and another name of the same person, with
-- the evidence for it, rebuilt by every resolution run. The analyst's confirm / reject is
-- kept in ``decisions`` (kind "alias", payload {"link", "verdict"}) and re-applied.
CREATE TABLE IF NOT EXISTS alias_links (
  id            TEXT PRIMARY KEY,  -- stable: from the two names' parts
  name          TEXT NOT NULL,     -- the name, as first written
  alias         TEXT NOT NULL,     -- the alias, as first written
  score         REAL NOT NULL,     -- 0..1; confirmed by evidence at 0.8 (CONFIRM)
  status        TEXT NOT NULL,     -- possible | confirmed | rejected
  decided       TEXT NOT NULL,     -- evidence | analyst
  decision      INTEGER,           -- decisions.id of the analyst's verdict
  note          TEXT,              -- why a strong link is held possible ("ambiguous: …")
  name_entity   TEXT,              -- entities.id holding each name (one for a joined link)
  alias_entity  TEXT,
  spellings     TEXT NOT NULL,     -- JSON {"name": [...], "alias": [...]} as written
  evidence      TEXT NOT NULL      -- JSON list: {"kind", "item", "sheet"/"row"/"column" or "segment"/"start"/"end", "quote", …}
);
CREATE INDEX IF NOT EXISTS alias_links_name ON alias_links(name_entity);
CREATE INDEX IF NOT EXISTS alias_links_alias ON alias_links(alias_entity);

-- Who did what in the case (docket.newsroom.audit): searches, document views, downloads,
-- exports, findings, merges, grants. Each entry holds the hash of the one before (a
-- hash chain, like custody.log), so an edited or deleted entry is found by `docket audit verify`.
CREATE TABLE IF NOT EXISTS audit (
  seq      INTEGER PRIMARY KEY,
  time     TEXT NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,           -- search | view | download | export | finding | merge | split | grant | …
  detail   TEXT NOT NULL,           -- JSON: item ids, query, role…
  prev     TEXT NOT NULL,           -- hash of the entry before (64 zeros for the first)
  hash     TEXT NOT NULL
);

-- Working together on findings (docket.store.findings): what happened to each finding —
-- added, edited (each saved version in full), reviewed (its new state) — and the
-- analysts' comments on it.
CREATE TABLE IF NOT EXISTS finding_history (
  id         INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL,
  time       TEXT NOT NULL,
  actor      TEXT,
  action     TEXT NOT NULL,         -- add | edit | review
  version    INTEGER NOT NULL,
  state      TEXT NOT NULL,
  title      TEXT NOT NULL,
  note       TEXT,
  tags       TEXT                   -- JSON list
);
CREATE INDEX IF NOT EXISTS finding_history_finding ON finding_history(finding_id);
CREATE TABLE IF NOT EXISTS finding_comments (
  id         INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL,
  time       TEXT NOT NULL,
  author     TEXT,
  text       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS finding_comments_finding ON finding_comments(finding_id);
