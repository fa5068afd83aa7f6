-- 0005_intervals_latest_origin.sql: every prediction interval of a forecast,
-- not just the widest; the forecasts of each model's newest origin.
--
-- The conventions of 0001_init.sql hold. Series ids written from 0005 on
-- include their source (e.g. 'shop_a/sales', the file's base name and the
-- column or id) unless the user named the series; rows written before keep
-- the ids they had.

-- forecast_intervals: the prediction intervals [lower, upper] of a forecast,
-- one per nominal coverage level (e.g. 0.8, 0.95). Unbounded intervals are
-- not stored. forecasts.lower, upper and level stay, and hold the interval of
-- the highest level, as before.
CREATE TABLE forecast_intervals (
	forecast_id INTEGER NOT NULL REFERENCES forecasts (id) ON DELETE CASCADE,
	level       REAL NOT NULL CHECK (level > 0 AND level < 1),
	lower       REAL NOT NULL,
	upper       REAL NOT NULL,
	PRIMARY KEY (forecast_id, level)
);

INSERT INTO forecast_intervals (forecast_id, level, lower, upper)
SELECT id, level, lower, upper FROM forecasts
WHERE lower IS NOT NULL AND upper IS NOT NULL AND level > 0 AND level < 1;

DROP VIEW forecast_accuracy;
DROP VIEW forecast_errors;
DROP VIEW latest_forecasts;

-- forecasts_80_95: every forecast with the bounds of its 80 % and 95 %
-- intervals (NULL where it has none); lower and upper are the widest, as in
-- forecasts.
CREATE VIEW forecasts_80_95 AS
SELECT
	f.*,
	i80.lower AS lower_80, i80.upper AS upper_80,
	i95.lower AS lower_95, i95.upper AS upper_95
FROM forecasts AS f
LEFT JOIN forecast_intervals AS i80 ON i80.forecast_id = f.id AND abs(i80.level - 0.8) < 1e-9
LEFT JOIN forecast_intervals AS i95 ON i95.forecast_id = f.id AND abs(i95.level - 0.95) < 1e-9;

-- latest_forecasts: as in 0004, with the 80 % and 95 % bounds. Rows of one
-- series may come from different origins: the newest forecast of each
-- target time.
CREATE VIEW latest_forecasts AS
SELECT model, version, series, origin, time, step, value, run_id, lower, upper, method,
	lower_80, upper_80, lower_95, upper_95
FROM (
	SELECT
		mv.name AS model,
		mv.version AS version,
		f.series, f.origin, f.time, f.step, f.value, f.run_id, f.lower, f.upper, f.method,
		f.lower_80, f.upper_80, f.lower_95, f.upper_95,
		row_number() OVER (
			PARTITION BY mv.name, f.series, coalesce(f.time, f.step)
			ORDER BY f.run_id DESC, f.id DESC
		) AS recency
	FROM forecasts_80_95 AS f
	JOIN model_versions AS mv ON mv.id = f.model_version_id
)
WHERE recency = 1
ORDER BY model, series, time, step;

-- latest_origin_forecasts: per model name and series, the whole forecast
-- from the newest origin (of the latest run that forecast from it), so that
-- its rows never mix origins. Forecasts without times count as one origin.
--
--   sqlite3 forecast.db "select * from latest_origin_forecasts where series = 'shop_a/sales'"
CREATE VIEW latest_origin_forecasts AS
SELECT model, version, series, origin, time, step, value, run_id, lower, upper, method,
	lower_80, upper_80, lower_95, upper_95
FROM (
	SELECT
		mv.name AS model,
		mv.version AS version,
		f.series, f.origin, f.time, f.step, f.value, f.run_id, f.lower, f.upper, f.method,
		f.lower_80, f.upper_80, f.lower_95, f.upper_95,
		dense_rank() OVER (
			PARTITION BY mv.name, f.series
			ORDER BY coalesce(f.origin, '') DESC, f.run_id DESC, f.model_version_id DESC
		) AS recency
	FROM forecasts_80_95 AS f
	JOIN model_versions AS mv ON mv.id = f.model_version_id
)
WHERE recency = 1
ORDER BY model, series, step;

-- forecast_errors: as in 0004, with the 80 % and 95 % bounds and whether
-- the actual is inside each (NULL without that interval); covered is for
-- the widest interval, as before.
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
	     WHEN a.value BETWEEN f.lower AND f.upper THEN 1 ELSE 0 END AS covered,
	f.lower_80, f.upper_80,
	CASE WHEN f.lower_80 IS NULL THEN NULL
	     WHEN a.value BETWEEN f.lower_80 AND f.upper_80 THEN 1 ELSE 0 END AS covered_80,
	f.lower_95, f.upper_95,
	CASE WHEN f.lower_95 IS NULL THEN NULL
	     WHEN a.value BETWEEN f.lower_95 AND f.upper_95 THEN 1 ELSE 0 END AS covered_95
FROM forecasts_80_95 AS f
JOIN model_versions AS mv ON mv.id = f.model_version_id
JOIN actuals AS a ON a.series = f.series AND a.time = f.time;

-- forecast_accuracy: as in 0004, with the coverage of the 80 % and 95 %
-- intervals (share of actuals inside, over the forecasts that have one).
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
	max(time) AS last_time,
	count(covered_80) AS intervals_80,
	avg(covered_80) AS coverage_80,
	count(covered_95) AS intervals_95,
	avg(covered_95) AS coverage_95
FROM forecast_errors
GROUP BY model, version, series
ORDER BY model, version, series;
