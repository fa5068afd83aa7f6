-- 0014_summary_exact.sql: model_versions_summary scores a version whose
-- forecast of the test part had no error (a series that repeats a week,
-- forecast exactly by the seasonal mean of its weeks) with test_mae and
-- test_mase 0, where they read the GRU's scores.
--
-- Its selected scores, all zero, are left out of the metrics document as
-- absent ones are; a version whose methods competed (metrics $.methods)
-- and whose baselines were scored has a test part it forecast exactly,
-- as models list and show read it. Everything else is as in
-- 0008_summary_untested.sql.

DROP VIEW model_versions_summary;
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
	CASE WHEN n.network THEN json_extract(mv.params, '$.lookback') END AS lookback,
	json_extract(mv.params, '$.horizon') AS horizon,
	CASE WHEN n.network THEN json_extract(mv.params, '$.layers') END AS layers,
	CASE WHEN n.network THEN json_extract(mv.params, '$.hidden') END AS hidden,
	mv.seed AS seed,
	CASE WHEN n.network THEN json_extract(mv.metrics, '$.epochs_run') END AS epochs,
	CASE WHEN n.network THEN json_extract(mv.metrics, '$.best_epoch') END AS best_epoch,
	CASE WHEN n.tested THEN coalesce(json_extract(mv.metrics, '$.test.selected.mae'), CASE WHEN n.exact THEN 0 END, json_extract(mv.metrics, '$.test.gru.mae')) END AS test_mae,
	CASE WHEN n.tested THEN coalesce(json_extract(mv.metrics, '$.test.selected.mase'), CASE WHEN n.exact THEN 0 END, json_extract(mv.metrics, '$.test.gru.mase')) END AS test_mase,
	CASE WHEN n.tested THEN json_extract(mv.metrics, '$.test.naive.mase') END AS naive_mase,
	CASE WHEN n.tested THEN json_extract(mv.metrics, '$.test.seasonal_naive.mase') END AS seasonal_naive_mase,
	mv.duration_seconds AS duration_seconds,
	mv.program_version AS program_version,
	p.name || '@' || p.version AS parent,
	mv.run_id AS run_id,
	(SELECT count(*) FROM forecasts AS f WHERE f.model_version_id = mv.id) AS forecasts,
	CASE WHEN n.network AND n.tested THEN json_extract(mv.metrics, '$.test.gru.mase') END AS gru_mase,
	coalesce(json_extract(mv.params, '$.method_name'), 'GRU') AS method
FROM model_versions AS mv
JOIN (SELECT id, NOT coalesce(json_extract(params, '$.classical_only'), 0) AS network,
	coalesce(json_extract(metrics, '$.windows.test'), 1) > 0 AS tested,
	json_type(metrics, '$.test.selected') IS NULL
		AND EXISTS (SELECT 1 FROM json_each(metrics, '$.methods'))
		AND (coalesce(json_extract(metrics, '$.test.naive.mae'), 0) != 0 OR coalesce(json_extract(metrics, '$.test.naive.mase'), 0) != 0
			OR coalesce(json_extract(metrics, '$.test.seasonal_naive.mae'), 0) != 0 OR coalesce(json_extract(metrics, '$.test.seasonal_naive.mase'), 0) != 0) AS exact
	FROM model_versions) AS n ON n.id = mv.id
LEFT JOIN model_versions AS p ON p.id = mv.parent_id
ORDER BY model, version;
