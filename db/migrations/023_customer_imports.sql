-- Customer imports from CSV (issue 16). The uploaded file, decoded to UTF-8, lives in
-- <DATA_DIR>/imports/<id>.csv; the record holds the mapping, the duplicate policy and the checkpoint.
-- Each batch of rows commits its customers, its errors and next_row in one transaction, so a crash
-- resumes at next_row with nothing half written.
CREATE TABLE customer_imports (
  id                TEXT PRIMARY KEY,
  agent_id          INTEGER NOT NULL REFERENCES agents(id),
  file_name         TEXT NOT NULL,
  -- SHA-256 of the uploaded bytes: the same file uploaded again is recognised.
  file_hash         TEXT NOT NULL,
  encoding          TEXT NOT NULL CHECK (encoding IN ('utf-8', 'gb18030')),
  delimiter         TEXT NOT NULL CHECK (delimiter IN (',', ';', char(9))),
  headers           TEXT NOT NULL CHECK (json_valid(headers)),
  preview           TEXT NOT NULL CHECK (json_valid(preview)),
  total_rows        INTEGER NOT NULL,
  status            TEXT NOT NULL DEFAULT 'uploaded'
                    CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed')),
  -- Field → column index, set when started.
  mapping           TEXT CHECK (mapping IS NULL OR json_valid(mapping)),
  duplicates        TEXT CHECK (duplicates IN ('update', 'skip')),
  -- Rows (0-based, after the header) before this one are done: the checkpoint.
  next_row          INTEGER NOT NULL DEFAULT 0,
  created           INTEGER NOT NULL DEFAULT 0,
  updated           INTEGER NOT NULL DEFAULT 0,
  unchanged         INTEGER NOT NULL DEFAULT 0,
  skipped           INTEGER NOT NULL DEFAULT 0,
  invalid           INTEGER NOT NULL DEFAULT 0,
  error             TEXT,
  created_at        TEXT NOT NULL,
  finished_at       TEXT
);
CREATE INDEX customer_imports_file_hash ON customer_imports(file_hash);

-- Why a row was not imported. `row` is the spreadsheet's row number (the header is row 1).
CREATE TABLE customer_import_errors (
  import_id         TEXT NOT NULL REFERENCES customer_imports(id) ON DELETE CASCADE,
  row               INTEGER NOT NULL,
  column_name       TEXT NOT NULL,
  reason            TEXT NOT NULL,
  PRIMARY KEY (import_id, row, column_name)
) WITHOUT ROWID;
