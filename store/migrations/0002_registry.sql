-- 0002_registry.sql: lineage, aliases and tags for the model registry; runs
-- that say what they wrote; forecast intervals; actuals and the views that
-- score past forecasts against them.
--
-- The conventions of 0001_init.sql hold. Rows written by schema 0001 are
-- kept; the new columns are filled from their JSON where it holds them and
-- are NULL otherwise.

-- runs: the program that ran, its command line and what it wrote. A command
-- that fails in its work (interrupted, a failed write, a bug) records a run
-- with status 'failed', its error and nothing else; rejected input (a bad
-- flag, bad data, an unknown model) records nothing.
ALTER TABLE runs ADD COLUMN program_version TEXT; -- forecast's version, as `forecast version` prints it
ALTER TABLE runs ADD COLUMN args TEXT;            -- the command line without the program name (JSON array)
ALTER TABLE runs ADD COLUMN wrote TEXT;           -- what the run wrote (JSON), e.g. {"model_versions":["air@2"],"forecasts":12}

-- model_versions: what a version was trained on and how.
ALTER TABLE model_versions ADD COLUMN seed INTEGER;             -- random seed of the weights and minibatch order (as int64: above 2^63-1 it reads negative; params.seed is exact)
ALTER TABLE model_versions ADD COLUMN data_series TEXT;         -- the series' name, as in forecasts.series
ALTER TABLE model_versions ADD COLUMN data_start TEXT;          -- first time of the training data (NULL without times)
ALTER TABLE model_versions ADD COLUMN data_end TEXT;            -- last time of the training data (NULL without times)
ALTER TABLE model_versions ADD COLUMN data_freq TEXT;           -- step of the training data, e.g. 'daily', 'monthly'
ALTER TABLE model_versions ADD COLUMN mase_scale REAL;          -- MASE denominator: mean |y_t - y_{t-m}| over the train part, m = params.season
ALTER TABLE model_versions ADD COLUMN program_version TEXT;     -- forecast's version that trained it
ALTER TABLE model_versions ADD COLUMN duration_seconds REAL;    -- wall time of the training
ALTER TABLE model_versions ADD COLUMN parent_id INTEGER         -- the version this one was refitted from
	REFERENCES model_versions (id) ON DELETE SET NULL;

UPDATE model_versions SET
	seed = json_extract(params, '$.seed'),
	data_series = json_extract(params, '$.target')
WHERE json_valid(params);
UPDATE model_versions SET
	mase_scale = json_extract(metrics, '$.mase_scale'),
	duration_seconds = json_extract(metrics, '$.train_seconds')
WHERE json_valid(metrics);
-- A fit forecasts from its last observed time.
UPDATE model_versions SET data_end = (
	SELECT max(f.origin) FROM forecasts AS f
	WHERE f.model_version_id = model_versions.id AND f.run_id = model_versions.run_id);

CREATE INDEX model_versions_parent ON model_versions (parent_id);

-- model_aliases: movable names for versions, e.g. air@champion. An alias
-- names one version of its model at a time; a version may have several.
CREATE TABLE model_aliases (
	name             TEXT NOT NULL,      -- model_versions.name
	alias            TEXT NOT NULL,
	model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
	updated_at       TEXT NOT NULL,
	PRIMARY KEY (name, alias)
);

CREATE INDEX model_aliases_version ON model_aliases (model_version_id);

-- model_tags: free key = value labels of a version.
CREATE TABLE model_tags (
	model_version_id INTEGER NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
	key              TEXT NOT NULL,
	value            TEXT NOT NULL,
	PRIMARY KEY (model_version_id, key)
);

-- forecasts: a prediction interval [lower, upper] with nominal coverage
-- level (e.g. 0.9); all three NULL for a point forecast.
ALTER TABLE forecasts ADD COLUMN lower REAL;
ALTER TABLE forecasts ADD COLUMN upper REAL;
ALTER TABLE forecasts ADD COLUMN level REAL;

CREATE INDEX forecasts_series_time ON forecasts (series, time);

-- actuals: observed values, one per series and time. Recording a value again
-- replaces it; run_id is the run that recorded it last.
CREATE TABLE actuals (
	id     INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES runs (id),
	series TEXT NOT NULL,
	time   TEXT NOT NULL,
	value  REAL NOT NULL,
	UNIQUE (series, time)
);

-- latest_forecasts: as in 0001, with the interval bounds.
DROP VIEW latest_forecasts;
CREATE VIEW latest_forecasts AS
SELECT model, version, series, origin, time, step, value, run_id, lower, upper
FROM (
	SELECT
		mv.name AS model,
		mv.version AS version,
		f.series, f.origin, f.time, f.step, f.value, f.run_id, f.lower, f.upper,
		row_number() OVER (
			PARTITION BY mv.name, f.series, coalesce(f.time, f.step)
			ORDER BY f.run_id DESC, f.id DESC
		) AS recency
	FROM forecasts AS f
	JOIN model_versions AS mv ON mv.id = f.model_version_id
)
WHERE recency = 1
ORDER BY model, series, time, step;

-- model_versions_summary: one readable row per version, without the blobs.
CREATE VIEW model_versions_summary AS
SELECT
	mv.name AS model,
	mv.version AS version,
	mv.created_at AS created_at,
	(SELECT group_concat(alias, ',') FROM (
		SELECT a.alias FROM model_aliases AS a
		WHERE a.model_version_id = mv.id ORDER BY a.alias)) AS aliases,
	mv.data_series AS series,
	mv.data_start AS data_start,
	mv.data_end AS data_end,
	mv.data_rows AS data_rows,
	json_extract(mv.params, '$.lookback') AS lookback,
	json_extract(mv.params, '$.horizon') AS horizon,
	json_extract(mv.params, '$.layers') AS layers,
	json_extract(mv.params, '$.hidden') AS hidden,
	mv.seed AS seed,
	json_extract(mv.metrics, '$.epochs_run') AS epochs,
	json_extract(mv.metrics, '$.best_epoch') AS best_epoch,
	json_extract(mv.metrics, '$.test.gru.mae') AS test_mae,
	json_extract(mv.metrics, '$.test.gru.mase') AS test_mase,
	json_extract(mv.metrics, '$.test.naive.mase') AS naive_mase,
	json_extract(mv.metrics, '$.test.seasonal_naive.mase') AS seasonal_naive_mase,
	mv.duration_seconds AS duration_seconds,
	mv.program_version AS program_version,
	p.name || '@' || p.version AS parent,
	mv.run_id AS run_id,
	(SELECT count(*) FROM forecasts AS f WHERE f.model_version_id = mv.id) AS forecasts
FROM model_versions AS mv
LEFT JOIN model_versions AS p ON p.id = mv.parent_id
ORDER BY model, version;

-- forecast_errors: every stored forecast whose target time has an actual.
CREATE VIEW forecast_errors AS
SELECT
	mv.name AS model,
	mv.version AS version,
	f.series, f.run_id, f.origin, f.time, f.step,
	f.value AS forecast,
	a.value AS actual,
	f.value - a.value AS error,
	f.lower, f.upper,
	CASE WHEN f.lower IS NULL OR f.upper IS NULL THEN NULL
	     WHEN a.value BETWEEN f.lower AND f.upper THEN 1 ELSE 0 END AS covered
FROM forecasts AS f
JOIN model_versions AS mv ON mv.id = f.model_version_id
JOIN actuals AS a ON a.series = f.series AND a.time = f.time;

-- forecast_accuracy: realised accuracy per model version and series, over
-- every stored forecast that has an actual: MAE; MASE, that MAE over the
-- version's in-sample scale model_versions.mase_scale (so it is comparable
-- with the test MASE of the fit); and the share of actuals inside the
-- forecast's interval, over the forecasts that have one (NULL if none has).
CREATE VIEW forecast_accuracy AS
SELECT
	model, version, series,
	count(*) AS forecasts,
	avg(abs(error)) AS mae,
	avg(abs(error)) / (SELECT m.mase_scale FROM model_versions AS m
		WHERE m.name = forecast_errors.model AND m.version = forecast_errors.version) AS mase,
	count(covered) AS intervals,
	avg(covered) AS coverage,
	min(time) AS first_time,
	max(time) AS last_time
FROM forecast_errors
GROUP BY model, version, series
ORDER BY model, version, series;
