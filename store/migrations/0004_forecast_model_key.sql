-- 0004_forecast_model_key.sql: forecasts are unique per run, model version,
-- series and step, so that two jobs of one batch run may forecast series of
-- the same name with their own models; and each forecast says which method
-- made it.
--
-- The conventions of 0001_init.sql hold. SQLite cannot change a table's
-- UNIQUE constraint in place, so forecasts is rebuilt: every row is copied
-- with its id, and its indexes and the views that read it are made anew, as
-- they were.

DROP VIEW forecast_accuracy;
DROP VIEW forecast_errors;
DROP VIEW model_versions_summary;
DROP VIEW latest_forecasts;

-- forecasts: one row per run, model version, series and step (see 0001 and
-- 0002 for the columns).
CREATE TABLE forecasts_0004 (
	id               INTEGER PRIMARY KEY,
	run_id           INTEGER NOT NULL REFERENCES runs (id),
	model_version_id INTEGER NOT NULL REFERENCES model_versions (id),
	series           TEXT NOT NULL,
	origin           TEXT,
	time             TEXT,
	step             INTEGER NOT NULL CHECK (step >= 1),
	value            REAL NOT NULL,      -- any finite float64, exactly (-0 reads back as 0)
	lower            REAL,
	upper            REAL,
	level            REAL,
	method           TEXT,               -- the forecasting method that produced the row: 'gru', or a classical one such as 'ets(M,Ad,M)', 'theta', 'snaive'; NULL for rows written before 0004
	UNIQUE (run_id, model_version_id, series, step)
);

INSERT INTO forecasts_0004 (id, run_id, model_version_id, series, origin, time, step, value, lower, upper, level)
SELECT id, run_id, model_version_id, series, origin, time, step, value, lower, upper, level
FROM forecasts ORDER BY id;

DROP TABLE forecasts;
ALTER TABLE forecasts_0004 RENAME TO forecasts;

CREATE INDEX forecasts_model_version_series_time ON forecasts (model_version_id, series, time);
CREATE INDEX forecasts_series_time ON forecasts (series, time);

-- latest_forecasts: as in 0002, with the method.
CREATE VIEW latest_forecasts AS
SELECT model, version, series, origin, time, step, value, run_id, lower, upper, method
FROM (
	SELECT
		mv.name AS model,
		mv.version AS version,
		f.series, f.origin, f.time, f.step, f.value, f.run_id, f.lower, f.upper, f.method,
		row_number() OVER (
			PARTITION BY mv.name, f.series, coalesce(f.time, f.step)
			ORDER BY f.run_id DESC, f.id DESC
		) AS recency
	FROM forecasts AS f
	JOIN model_versions AS mv ON mv.id = f.model_version_id
)
WHERE recency = 1
ORDER BY model, series, time, step;

-- model_versions_summary, forecast_errors, forecast_accuracy: as in 0002.
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
