/**
 * Schema migrations of the project store, applied in order; PRAGMA user_version records how
 * many have run. Never edit a released migration: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE datasets (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    path         TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    row_count    INTEGER,
    dataset_json TEXT NOT NULL
  );
  CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    dataset_id    TEXT REFERENCES datasets(id) ON DELETE SET NULL,
    title         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    records       INTEGER NOT NULL,
    segments      INTEGER NOT NULL,
    options_json  TEXT NOT NULL,
    artifact_json TEXT NOT NULL
  );
  CREATE INDEX runs_created ON runs(created_at DESC);
  `,
  `
  CREATE TABLE profiles (
    name         TEXT PRIMARY KEY COLLATE NOCASE,
    profile_json TEXT NOT NULL,
    updated_at   TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE connections (
    id              TEXT PRIMARY KEY,
    connection_json TEXT NOT NULL,
    -- the password as the OS secret store encrypted it; NULL when not remembered
    password_cipher BLOB
  );
  `,
  `
  CREATE TABLE conversations (
    run_id        TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    messages_json TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  );
  `,
  `
  -- A segments run's cube (its leaves, packed), for the decomposition tree; kept beside the artifact.
  CREATE TABLE segment_cubes (
    run_id    TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    cube_json TEXT NOT NULL
  );
  `,
];
