-- 0001_init.sql: the first forecast schema.
--
-- Conventions for every table:
--   * Times are TEXT in RFC 3339, always UTC, to the second, e.g.
--     '2024-01-31T23:00:00Z' (a fraction is added only for a time that has
--     one). Text order is time order, so `ORDER BY time` and
--     `time >= '2024-01-01'` work, and SQLite's date functions read the values
--     as they are.
--   * JSON columns hold JSON text; query them with json_extract().
--   * Foreign keys are enforced (the program turns them on for every connection).
--
-- The program records each applied migration in schema_migrations and keeps
-- PRAGMA user_version equal to the newest one. Migrations are never edited once
-- released; a change to the schema is a new numbered file.

-- runs: one row per recorded command (fit, predict, batch, ...). A command
-- writes everything it produces in one transaction together with its run, so
-- a run row means its results are complete.
CREATE TABLE runs (
	id          INTEGER PRIMARY KEY,
	command     TEXT NOT NULL,           -- 'fit', 'predict', 'batch', ...
	started_at  TEXT NOT NULL,
	finished_at TEXT,
	status      TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
	error       TEXT                     -- the error message of a failed run
);

-- model_versions: the model registry. Every fit adds a version; versions of a
-- name count up from 1 and are never reused.
CREATE TABLE model_versions (
	id               INTEGER PRIMARY KEY,
	name             TEXT NOT NULL,
	version          INTEGER NOT NULL CHECK (version >= 1),
	created_at       TEXT NOT NULL,
	params           TEXT,               -- hyper-parameters (JSON)
	scaler           TEXT,               -- input scaler (JSON)
	metrics          TEXT,               -- test metrics of the model and the baselines (JSON)
	data_source      TEXT,               -- where the training data came from, e.g. a file path
	data_fingerprint TEXT,               -- sha256 (hex) of the training data
	data_rows        INTEGER,            -- rows of training data
	weights          BLOB NOT NULL,      -- network weights, an opaque binary encoding
	export           TEXT,               -- the forecast-gru-json/1 export document
	run_id           INTEGER REFERENCES runs (id), -- the run that trained it
	UNIQUE (name, version)
);

-- forecasts: one row per run, series and step. origin is the last observed
-- time the forecast was made from; step counts from 1 (the first time after
-- origin) to the horizon. origin and time are NULL for a series without a
-- time column, whose steps are plain positions.
CREATE TABLE forecasts (
	id               INTEGER PRIMARY KEY,
	run_id           INTEGER NOT NULL REFERENCES runs (id),
	model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
	series           TEXT NOT NULL,
	origin           TEXT,
	time             TEXT,
	step             INTEGER NOT NULL CHECK (step >= 1),
	value            REAL NOT NULL,      -- any float64 but NaN, exactly (-0 reads back as 0)
	UNIQUE (run_id, series, step)
);

CREATE INDEX forecasts_model_version_series_time ON forecasts (model_version_id, series, time);

-- latest_forecasts: the newest forecast (the one from the latest run) for each
-- model name, series and target time, whichever version made it.
--
--   sqlite3 forecast.db 'select * from latest_forecasts'
CREATE VIEW latest_forecasts AS
SELECT model, version, series, origin, time, step, value, run_id
FROM (
	SELECT
		mv.name AS model,
		mv.version AS version,
		f.series, f.origin, f.time, f.step, f.value, f.run_id,
		row_number() OVER (
			PARTITION BY mv.name, f.series, coalesce(f.time, f.step)
			ORDER BY f.run_id DESC, f.id DESC
		) AS recency
	FROM forecasts AS f
	JOIN model_versions AS mv ON mv.id = f.model_version_id
)
WHERE recency = 1
ORDER BY model, series, time, step;
