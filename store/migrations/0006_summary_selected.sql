-- 0006_summary_selected.sql: model_versions_summary scores the forecast a
-- version gives, which may come from a classical method that beat the GRU
-- on validation, and names that method.
--
-- The conventions of 0001_init.sql hold. test_mae and test_mase are now
-- those of the selected forecasts ($.test.selected), or of the GRU for
-- versions stored before methods competed; gru_mase is the GRU's alone and
-- method the method of the version's (first) series.

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
	json_extract(mv.params, '$.lookback') AS lookback,
	json_extract(mv.params, '$.horizon') AS horizon,
	json_extract(mv.params, '$.layers') AS layers,
	json_extract(mv.params, '$.hidden') AS hidden,
	mv.seed AS seed,
	json_extract(mv.metrics, '$.epochs_run') AS epochs,
	json_extract(mv.metrics, '$.best_epoch') AS best_epoch,
	coalesce(json_extract(mv.metrics, '$.test.selected.mae'), json_extract(mv.metrics, '$.test.gru.mae')) AS test_mae,
	coalesce(json_extract(mv.metrics, '$.test.selected.mase'), json_extract(mv.metrics, '$.test.gru.mase')) AS test_mase,
	json_extract(mv.metrics, '$.test.naive.mase') AS naive_mase,
	json_extract(mv.metrics, '$.test.seasonal_naive.mase') AS seasonal_naive_mase,
	mv.duration_seconds AS duration_seconds,
	mv.program_version AS program_version,
	p.name || '@' || p.version AS parent,
	mv.run_id AS run_id,
	(SELECT count(*) FROM forecasts AS f WHERE f.model_version_id = mv.id) AS forecasts,
	json_extract(mv.metrics, '$.test.gru.mase') AS gru_mase,
	coalesce(json_extract(mv.params, '$.method_name'), 'GRU') AS method
FROM model_versions AS mv
LEFT JOIN model_versions AS p ON p.id = mv.parent_id
ORDER BY model, version;
