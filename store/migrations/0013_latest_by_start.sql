-- 0013_latest_by_start.sql: of several runs of one version from one
-- origin, latest_origin_forecasts and forecast_errors take the run that
-- started last, as latest_forecasts does since 0011.
--
-- They took the highest run id. Run ids say which run started later only
-- in one database: merge gives a shard's runs new ids after the target's,
-- so an older predict run merged in hid the newer one in forecasts
-- --latest and in accuracy, while latest_forecasts showed the newer.

DROP VIEW forecast_accuracy;
DROP VIEW forecast_errors;
DROP VIEW latest_origin_forecasts;

-- latest_origin_forecasts: per model name and series, the whole forecast
-- from the newest origin (of the run that started last of those that
-- forecast from it, then of the highest run id), so that its rows never mix
-- origins. Forecasts without times count as one origin.
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
			ORDER BY coalesce(f.origin, '') DESC, julianday(r.started_at) DESC, f.run_id DESC, f.model_version_id DESC
		) AS recency
	FROM forecasts_80_95 AS f
	JOIN model_versions AS mv ON mv.id = f.model_version_id
	JOIN runs AS r ON r.id = f.run_id
)
WHERE recency = 1
ORDER BY model, series, step;

-- forecast_errors: as in 0010, once per forecast: where one version
-- forecast a series from the same origin in several runs, the forecast of
-- each target time of the run that started last (then of the highest run
-- id, then the last stored).
CREATE VIEW forecast_errors AS
SELECT
	mv.name AS model,
	mv.version AS version,
	f.series, f.run_id, f.origin, f.time, f.step,
	f.value AS forecast,
	a.value AS actual,
	f.value - a.value AS error,
	f.lower, f.upper, f.level,
	CASE WHEN f.lower IS NULL OR f.upper IS NULL THEN NULL
	     WHEN a.value BETWEEN f.lower AND f.upper THEN 1 ELSE 0 END AS covered,
	f.lower_80, f.upper_80,
	CASE WHEN f.lower_80 IS NULL THEN NULL
	     WHEN a.value BETWEEN f.lower_80 AND f.upper_80 THEN 1 ELSE 0 END AS covered_80,
	f.lower_95, f.upper_95,
	CASE WHEN f.lower_95 IS NULL THEN NULL
	     WHEN a.value BETWEEN f.lower_95 AND f.upper_95 THEN 1 ELSE 0 END AS covered_95,
	CASE WHEN f.mase_scale IS NULL THEN mv.mase_scale WHEN f.mase_scale > 0 THEN f.mase_scale END AS mase_scale
FROM forecasts_80_95 AS f
JOIN model_versions AS mv ON mv.id = f.model_version_id
JOIN runs AS r ON r.id = f.run_id
JOIN actuals AS a ON a.series = f.series AND a.time = f.time
WHERE NOT EXISTS (
	SELECT 1 FROM forecasts AS later
	JOIN runs AS lr ON lr.id = later.run_id
	WHERE later.model_version_id = f.model_version_id AND later.series = f.series AND later.time = f.time
		AND later.origin IS f.origin
		AND (julianday(lr.started_at) > julianday(r.started_at)
			OR julianday(lr.started_at) = julianday(r.started_at) AND later.run_id > f.run_id
			OR later.run_id = f.run_id AND later.id > f.id));

-- forecast_accuracy: as in 0010.
CREATE VIEW forecast_accuracy AS
SELECT
	model, version, series,
	count(*) AS forecasts,
	avg(abs(error)) AS mae,
	avg(abs(error) / mase_scale) AS mase,
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
