-- 0003_batch.sql: batch runs, their jobs and series; the lock that keeps two
-- batches off one database.
--
-- The conventions of 0001_init.sql hold.
--
-- A batch run is a runs row with command 'batch'. It is written when the
-- batch starts, as status 'failed' with the error "unfinished ..." and no
-- finished_at, and updated when it ends; so a batch that was killed reads as
-- failed and unfinished. Its series are written as they finish, each with all
-- its forecasts in one transaction: every 'done' series of a run is complete,
-- whether or not the run finished.

-- batch_jobs: one row per job of a batch run.
CREATE TABLE batch_jobs (
	run_id           INTEGER NOT NULL REFERENCES runs (id),
	job              TEXT NOT NULL,       -- the job's name in the jobs file
	model            TEXT NOT NULL,       -- the model name it forecasts with (model_versions.name)
	config           TEXT NOT NULL,       -- the job as it ran: source, settings, policy (JSON)
	refit            TEXT NOT NULL,       -- the refit policy, e.g. 'never', 'if-older-than 24h'
	decision         TEXT,                -- what the policy decided and why, e.g. 'refit: m4@3 is 26h old'
	model_version_id INTEGER              -- the version that forecast
		REFERENCES model_versions (id) ON DELETE SET NULL,
	status           TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
	error            TEXT,                -- why the job failed, or how many of its series did
	series_done      INTEGER NOT NULL DEFAULT 0,
	series_failed    INTEGER NOT NULL DEFAULT 0,
	series_skipped   INTEGER NOT NULL DEFAULT 0,
	started_at       TEXT NOT NULL,
	finished_at      TEXT,
	fit_seconds      REAL,                -- wall time of the refit, if any
	seconds          REAL,                -- wall time of the whole job
	PRIMARY KEY (run_id, job)
);

-- batch_series: one row per batch run, job and series. cutoff is the data
-- cut-off the series was forecast from: its last time (as forecasts.origin)
-- or, for a series without times, '#' and its number of values ('#1000').
-- status: 'done' (its forecasts are stored under the run), 'skipped' (the
-- same model, series and cut-off were already done), 'failed' (error says
-- why; nothing of it is stored) or 'replaced' (done, then replaced by a later
-- run of the same cut-off, whose forecasts took the place of its own).
CREATE TABLE batch_series (
	run_id    INTEGER NOT NULL REFERENCES runs (id),
	job       TEXT NOT NULL,
	model     TEXT NOT NULL,
	series    TEXT NOT NULL,
	cutoff    TEXT NOT NULL,
	status    TEXT NOT NULL CHECK (status IN ('done', 'skipped', 'failed', 'replaced')),
	error     TEXT,
	forecasts INTEGER NOT NULL DEFAULT 0, -- forecast rows stored
	seconds   REAL,                       -- wall time of its forecast
	PRIMARY KEY (run_id, job, series)
);

-- A model forecasts a series from a given cut-off once: a batch run again
-- skips it or replaces the earlier forecasts, as its job says.
CREATE UNIQUE INDEX batch_series_done ON batch_series (model, series, cutoff) WHERE status = 'done';

-- locks: named locks held by a running process, e.g. 'batch' while a batch
-- or a scheduled run writes. The holder refreshes heartbeat_at; a lock whose
-- process is gone (same host) or whose heartbeat is old is stale and is taken
-- over.
CREATE TABLE locks (
	name         TEXT PRIMARY KEY,
	owner        TEXT NOT NULL,           -- a token unique to the holder
	host         TEXT NOT NULL,
	pid          INTEGER NOT NULL,
	command      TEXT NOT NULL,           -- e.g. 'batch', 'schedule'
	acquired_at  TEXT NOT NULL,
	heartbeat_at TEXT NOT NULL
);
