-- 0009_model_names.sql: model_names keeps the last version number each
-- model name has had, so that a version deleted (models rm) is never
-- numbered again: its number may be quoted in runs.wrote, in logs and in
-- other databases. A trigger keeps it on every insert, whichever command
-- inserts (fit, batch, models import, merge).

CREATE TABLE model_names (
	name         TEXT PRIMARY KEY,
	last_version INTEGER NOT NULL CHECK (last_version >= 1)
);

-- The last number of a name is the highest that a stored version has, or
-- that a run says it wrote (NAME@VERSION in runs.wrote): a version deleted
-- before this migration is not numbered again either.
INSERT INTO model_names (name, last_version)
SELECT name, max(version) FROM (
	SELECT name, version FROM model_versions
	UNION ALL
	SELECT substr(w.value, 1, instr(w.value, '@') - 1), CAST(substr(w.value, instr(w.value, '@') + 1) AS INTEGER)
	FROM runs AS r, json_each(CASE WHEN json_valid(r.wrote) THEN r.wrote END, '$.model_versions') AS w
	WHERE w.type = 'text' AND instr(w.value, '@') > 1
)
WHERE version >= 1
GROUP BY name;

CREATE TRIGGER model_names_last_version AFTER INSERT ON model_versions
BEGIN
	INSERT INTO model_names (name, last_version) VALUES (NEW.name, NEW.version)
	ON CONFLICT (name) DO UPDATE SET last_version = max(last_version, excluded.last_version);
END;
