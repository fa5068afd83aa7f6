-- 0010_forecast_scale.sql: each forecast keeps the MASE scale of the
-- series it forecast, and a forecast stored twice counts once.
--
-- forecast_accuracy divided the errors of every series by the version's
-- mase_scale, that of the first series it was trained on: a global model's
-- other series (one of ten thousand units beside one of ten) got MASEs a
-- thousand times off. And forecasting the same data twice with one version
-- (predict run twice) stored the same forecasts twice, which counted twice.

-- forecasts.mase_scale: the mean absolute seasonal difference, with the
-- version's season, of the series' values the forecast was made from (its
-- history up to the origin, the scale of the M4 competition's MASE); 0
-- where that is undefined (a history constant or too short: no MASE), and
-- NULL in rows stored before, which keep the version's scale.
ALTER TABLE forecasts ADD COLUMN mase_scale REAL CHECK (mase_scale IS NULL OR mase_scale >= 0);

DROP VIEW forecast_accuracy;
DROP VIEW forecast_errors;

-- forecast_errors: as in 0005, once per forecast: where one version
-- forecast a series from the same origin in several runs, the latest run's
-- forecast of each target time. level is that of lower and upper, and
-- mase_scale the forecast's own (NULL where undefined), or its version's
-- for rows stored before 0010.
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
JOIN actuals AS a ON a.series = f.series AND a.time = f.time
WHERE NOT EXISTS (
	SELECT 1 FROM forecasts AS later
	WHERE later.model_version_id = f.model_version_id AND later.series = f.series AND later.time = f.time
		AND later.origin IS f.origin AND (later.run_id > f.run_id OR later.run_id = f.run_id AND later.id > f.id));

-- forecast_accuracy: as in 0005, with mase the mean of the absolute errors
-- each divided by its forecast's mase_scale (over those that have one).
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
