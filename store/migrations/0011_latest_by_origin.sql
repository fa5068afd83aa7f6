-- 0011_latest_by_origin.sql: latest_forecasts takes, of each target time,
-- the forecast from the newest origin.
--
-- It took the one of the highest run id. Run ids say which run started
-- later only in one database: merge gives a shard's runs new ids after the
-- target's, so a shard's forecast from an older origin, merged later, hid
-- the target's newer one.

DROP VIEW latest_forecasts;

-- latest_forecasts: per model name, series and target time, the forecast
-- from the newest origin; of several from that origin, that of the run
-- that started last (then of the highest run id). Rows of one series may
-- come from different origins (see latest_origin_forecasts for whole
-- forecasts).
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
			ORDER BY coalesce(f.origin, '') DESC, julianday(r.started_at) DESC, f.run_id DESC, f.id DESC
		) AS recency
	FROM forecasts_80_95 AS f
	JOIN model_versions AS mv ON mv.id = f.model_version_id
	JOIN runs AS r ON r.id = f.run_id
)
WHERE recency = 1
ORDER BY model, series, time, step;
