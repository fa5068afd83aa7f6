-- 0012_model_version_ids.sql: a model version's row id is never given to
-- another version, even after it is deleted.
--
-- SQLite gives a new row the highest id plus one, so deleting the newest
-- version (models rm) freed its id for the next. A batch holds the id of
-- the version it forecasts with; with that version deleted under it and
-- another model stored meanwhile, it stored its forecasts under the other
-- model. model_version_ids keeps the highest id given, and every insert
-- names the id after it (inserts that leave the id to SQLite are refused).

CREATE TABLE model_version_ids (
	last_id INTEGER NOT NULL
);

-- The highest id stored. An id freed by a deletion before this migration
-- is not recorded anywhere (batch_jobs and forecasts let go of it with the
-- version) and may be given once more; from here on none is.
INSERT INTO model_version_ids (last_id)
SELECT coalesce(max(id), 0) FROM model_versions;

CREATE TRIGGER model_versions_fresh_id BEFORE INSERT ON model_versions
WHEN NEW.id <= (SELECT last_id FROM model_version_ids)
BEGIN
	SELECT RAISE(ABORT, 'model_versions: an id must be above model_version_ids.last_id');
END;

CREATE TRIGGER model_versions_last_id AFTER INSERT ON model_versions
BEGIN
	UPDATE model_version_ids SET last_id = NEW.id;
END;
