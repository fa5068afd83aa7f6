-- 0008_summary_untested.sql: model_versions_summary leaves the test
-- columns (test_mae, test_mase, naive_mase, seasonal_naive_mase, gru_mase)
-- NULL for a version whose series left no test part (metrics
-- $.windows.test is 0: a short series the classical methods alone
-- forecast), where they read 0, a perfect score. Everything else is as in
-- 0007_summary_classical_only.sql.

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
	CASE WHEN n.tested THEN coalesce(json_extract(mv.metrics, '$.test.selected.mae'), json_extract(mv.metrics, '$.test.gru.mae')) END AS test_mae,
	CASE WHEN n.tested THEN coalesce(json_extract(mv.metrics, '$.test.selected.mase'), json_extract(mv.metrics, '$.test.gru.mase')) END AS test_mase,
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
	coalesce(json_extract(metrics, '$.windows.test'), 1) > 0 AS tested
	FROM model_versions) AS n ON n.id = mv.id
LEFT JOIN model_versions AS p ON p.id = mv.parent_id
ORDER BY model, version;
