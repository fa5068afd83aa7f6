-- 0007_summary_classical_only.sql: model_versions_summary leaves the
-- network's columns empty for a version forecast by the classical methods
-- alone (params $.classical_only), which trained no network: lookback,
-- layers, hidden, epochs, best_epoch and gru_mase are NULL there, where
-- they read the settings the fit resolved but never used and a GRU MASE of
-- 0. Everything else is as in 0006_summary_selected.sql.

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
	coalesce(json_extract(mv.metrics, '$.test.selected.mae'), json_extract(mv.metrics, '$.test.gru.mae')) AS test_mae,
	coalesce(json_extract(mv.metrics, '$.test.selected.mase'), json_extract(mv.metrics, '$.test.gru.mase')) AS test_mase,
	json_extract(mv.metrics, '$.test.naive.mase') AS naive_mase,
	json_extract(mv.metrics, '$.test.seasonal_naive.mase') AS seasonal_naive_mase,
	mv.duration_seconds AS duration_seconds,
	mv.program_version AS program_version,
	p.name || '@' || p.version AS parent,
	mv.run_id AS run_id,
	(SELECT count(*) FROM forecasts AS f WHERE f.model_version_id = mv.id) AS forecasts,
	CASE WHEN n.network THEN json_extract(mv.metrics, '$.test.gru.mase') END AS gru_mase,
	coalesce(json_extract(mv.params, '$.method_name'), 'GRU') AS method
FROM model_versions AS mv
JOIN (SELECT id, NOT coalesce(json_extract(params, '$.classical_only'), 0) AS network
	FROM model_versions) AS n ON n.id = mv.id
LEFT JOIN model_versions AS p ON p.id = mv.parent_id
ORDER BY model, version;
