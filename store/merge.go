package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MergeStats counts what Merge copied from one database; rows already in the
// target are not counted.
type MergeStats struct {
	Runs          int
	ModelVersions int // new versions; versions already there are matched, not copied
	Forecasts     int
	Actuals       int
	BatchSeries   int
	// Duplicates counts the done batch series whose model, series and
	// cut-off the target had from another run: the newer run's forecasts
	// are kept, the older run's series becomes "replaced".
	Duplicates int
	// Renumbered lists the versions copied under another number than
	// they had in the source, as "NAME@V is NAME@W" (the target held
	// versions of the name).
	Renumbered []string
	// Unfinished lists the source's batch runs copied that never
	// finished (killed): their stored series are merged, the rest of their
	// series were never forecast.
	Unfinished []int64
	// MovedAliases lists the target's aliases that now name the source's
	// version, set later, as "NAME@ALIAS: NAME@V -> NAME@W".
	MovedAliases []string
	// KeptTags lists the tags of versions both databases hold whose values
	// differ, which keep the target's, as "NAME@V KEY=VALUE (not OTHER)".
	KeptTags []string
}

// Merge copies the runs, model versions (with aliases and tags), forecasts,
// actuals and batch records of the forecast database at src into db, in one
// transaction, without duplicates: merging a database twice, or two
// databases that hold copies of the same rows, copies each row once.
//
// Rows are matched by what they are, not by their ids, which each database
// numbers on its own: a run by its command, start time and arguments; a
// model version by its name, creation time and data fingerprint. A model
// version new to db becomes the next version of its name, so its number may
// differ from the one it had in src. An alias already set in db keeps its
// version unless the one in src was set later; a tag keeps db's value
// (see MergeStats.KeptTags). A done batch series whose
// model, series and cut-off db already holds from another run keeps the
// forecasts of the newer run (by start time); the older run's series
// becomes "replaced" and its forecasts go, as if the newer run had replaced
// them. Forecasts src's batch series call replaced are copied as src holds
// them: a run that replaced them and was killed left them in src, and the
// version the model's name means needs them; unless a run of db that
// finished did the same series from the same cut-off (it deleted them
// there). Of two actuals of the same series and time, the one of the newer
// run (by start time) is kept, as actuals replaces a value recorded
// before: which came first in the merge's order decided it.
//
// src is only read, never written: it is opened read-only (immutable if
// its folder is read-only), and a src of an older schema is upgraded in a
// temporary copy. See CheckMergeSource for what is refused.
func (db *DB) Merge(ctx context.Context, src string) (MergeStats, error) {
	var st MergeStats
	if err := CheckMergeSource(ctx, db.Path, src); err != nil {
		return st, err
	}
	uri, cleanup, err := mergeURI(ctx, src)
	if err != nil {
		return st, fmt.Errorf("merge %s: %w", src, err)
	}
	defer cleanup()

	conn, err := db.db.Conn(ctx)
	if err != nil {
		return st, db.formatError(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS src`, uri); err != nil {
		return st, fmt.Errorf("merge %s: %w", src, db.formatError(err))
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE src`)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return st, db.formatError(err)
	}
	defer tx.Rollback()
	t := &dbTx{Tx: tx, now: db.now()}
	if err := checkSourceIdle(ctx, t, "src.locks", src); err != nil {
		return st, err
	}
	if err := merge(ctx, t, filepath.Base(src), &st); err != nil {
		return MergeStats{}, fmt.Errorf("merge %s: %w", src, db.formatError(err))
	}
	if err := tx.Commit(); err != nil {
		return MergeStats{}, db.formatError(err)
	}
	return st, nil
}

// ErrSameDatabase is wrapped by CheckMergeSource's error for an input that
// is the target database itself.
var ErrSameDatabase = errors.New("merge input is the target database")

// CheckMergeSource checks, without writing anything, that the database at
// src can be merged into the one at target (which need not exist yet): src
// is not target's file, nor a link to it, and it is a forecast database
// (not empty, not another program's) of this program's schema or an older
// one.
func CheckMergeSource(ctx context.Context, target, src string) error {
	si, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if !si.Mode().IsRegular() {
		return fmt.Errorf("merge %s: not a database file", src)
	}
	if ti, err := os.Stat(target); err == nil && os.SameFile(si, ti) {
		return &storeError{msg: fmt.Sprintf("merge %s: it is the target database %s", src, target), errs: []error{ErrSameDatabase}}
	}
	s, err := openReadOnly(ctx, src, mergeModes(src)...)
	if err != nil {
		return fmt.Errorf("merge %s: %w", src, err)
	}
	defer s.Close()
	err = s.checkCurrent(ctx)
	switch {
	case errors.Is(err, errOlderSchema):
		return nil // no batch of this program writes it
	case err != nil:
		return fmt.Errorf("merge: %w", err)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return fmt.Errorf("merge %s: %w", src, s.formatError(err))
	}
	defer tx.Rollback()
	return checkSourceIdle(ctx, tx, "locks", src)
}

// mergeModes are the ways to open a merge input, best first. An input
// without a -wal file has all its content in its main file: it is read as
// immutable, so that nothing at all is written beside it (a WAL database
// read with mode=ro leaves -wal and -shm files behind). An input with one is
// read with mode=ro, which reads the WAL too; immutable if that fails (a
// read-only folder). A merge input is a finished database, such as a batch
// shard's: none of them may be written while it is merged.
func mergeModes(src string) []string {
	if _, err := os.Stat(src + "-wal"); errors.Is(err, os.ErrNotExist) {
		return []string{immutable}
	}
	return []string{readOnly, immutable}
}

// checkSourceIdle returns an error wrapping ErrLocked if a live batch
// holds the lock of the database src, whose locks table is locks (src.locks
// attached, or locks of its own connection): its runs and jobs are not
// finished, and a merge would copy them unfinished for good (a merge
// copies a run once).
func checkSourceIdle(ctx context.Context, tx *dbTx, locks, src string) error {
	var h lockHolder
	var acquired, beat string
	err := tx.QueryRowContext(ctx, `
		SELECT owner, host, pid, command, acquired_at, heartbeat_at FROM `+locks+` WHERE name = 'batch'`).
		Scan(&h.owner, &h.host, &h.pid, &h.command, &acquired, &beat)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	h.acquired, _ = parseTime(acquired)
	if h.heartbeat, err = parseTime(beat); err != nil {
		return nil // an unreadable lock guards nothing
	}
	if host, _ := os.Hostname(); !h.live(host, tx.now) {
		return nil // its holder is gone
	}
	return errorf(ErrLocked, "merge %s: it is in use by %s; merge it when that has finished", src, h)
}

// mergeURI returns the SQLite URI to attach src by, read-only: src itself,
// or, if its schema is older than this program's, an upgraded copy in a
// temporary folder that cleanup removes.
func mergeURI(ctx context.Context, src string) (uri string, cleanup func(), err error) {
	s, err := openReadOnly(ctx, src, mergeModes(src)...)
	if err != nil {
		return "", nil, err
	}
	defer s.Close()
	err = s.checkCurrent(ctx)
	if err == nil {
		return s.uri, func() {}, nil
	} else if !errors.Is(err, errOlderSchema) {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "forecast-merge-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	copied := filepath.Join(dir, "src.db")
	// VACUUM INTO writes a consistent snapshot, WAL included, from a
	// read-only connection.
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, copied); err != nil {
		cleanup()
		return "", nil, s.formatError(err)
	}
	c, err := Open(ctx, copied)
	if err != nil {
		cleanup()
		return "", nil, err
	}
	if err := c.Close(); err != nil {
		cleanup()
		return "", nil, err
	}
	return "file:" + escapePath(copied) + "?mode=ro", cleanup, nil
}

// merge copies the attached database src, whose file is called name,
// into main; see Merge.
func merge(ctx context.Context, tx *dbTx, name string, st *MergeStats) error {
	steps := []string{
		// run_map: each run of src and the run of main it is.
		`CREATE TEMP TABLE run_map (src INTEGER PRIMARY KEY, dst INTEGER)`,
		`INSERT INTO run_map (src, dst)
		SELECT s.id, (SELECT m.id FROM main.runs AS m
			WHERE m.command = s.command AND m.started_at = s.started_at
				AND coalesce(m.args, '') = coalesce(s.args, '') ORDER BY m.id LIMIT 1)
		FROM src.runs AS s`,
		// mv_map likewise for model versions.
		`CREATE TEMP TABLE mv_map (src INTEGER PRIMARY KEY, dst INTEGER)`,
		`INSERT INTO mv_map (src, dst)
		SELECT s.id, (SELECT m.id FROM main.model_versions AS m
			WHERE m.name = s.name AND m.created_at = s.created_at
				AND coalesce(m.data_fingerprint, '') = coalesce(s.data_fingerprint, '') ORDER BY m.id LIMIT 1)
		FROM src.model_versions AS s`,
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.run_map`)
	defer tx.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.mv_map`)
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}

	// New runs, in order, mapped as they are inserted.
	runs, err := mapNew(ctx, tx, "run_map", `SELECT src FROM run_map WHERE dst IS NULL ORDER BY src`, `
		INSERT INTO main.runs (command, started_at, finished_at, status, error, program_version, args, wrote)
		SELECT command, started_at, finished_at, status, error, program_version, args, wrote
		FROM src.runs WHERE id = ?`)
	if err != nil {
		return err
	}
	st.Runs = len(runs)

	// New model versions, in id order so that a parent comes before its
	// refits, each the next version of its name, and the runs that wrote
	// them naming them so.
	versions, err := mapNew(ctx, tx, "mv_map", `SELECT src FROM mv_map WHERE dst IS NULL ORDER BY src`, `
		INSERT INTO main.model_versions (
			id, name, version, created_at, params, scaler, metrics, data_source, data_fingerprint, data_rows,
			weights, export, run_id, seed, data_series, data_start, data_end, data_freq, mase_scale,
			program_version, duration_seconds, parent_id)
		SELECT (SELECT last_id + 1 FROM main.model_version_ids), s.name,
			coalesce((SELECT n.last_version FROM main.model_names AS n WHERE n.name = s.name), 0) + 1,
			s.created_at, s.params, s.scaler, s.metrics, s.data_source, s.data_fingerprint, s.data_rows,
			s.weights, s.export, (SELECT dst FROM run_map WHERE src = s.run_id), s.seed, s.data_series,
			s.data_start, s.data_end, s.data_freq, s.mase_scale, s.program_version, s.duration_seconds,
			(SELECT dst FROM mv_map WHERE src = s.parent_id)
		FROM src.model_versions AS s WHERE s.id = ?`)
	if err != nil {
		return err
	}
	st.ModelVersions = len(versions)
	for _, id := range versions {
		var was, is string
		if err := tx.QueryRowContext(ctx, `
			SELECT s.name || '@' || s.version, m.name || '@' || m.version FROM src.model_versions AS s
			JOIN mv_map AS v ON v.src = s.id JOIN main.model_versions AS m ON m.id = v.dst
			WHERE s.id = ?`, id).Scan(&was, &is); err != nil {
			return err
		}
		if was != is {
			st.Renumbered = append(st.Renumbered, was+" is "+is)
		}
	}
	for _, id := range runs {
		var unfinished bool
		if err := tx.QueryRowContext(ctx, `SELECT command = 'batch' AND finished_at IS NULL FROM src.runs WHERE id = ?`, id).Scan(&unfinished); err != nil {
			return err
		}
		if unfinished {
			st.Unfinished = append(st.Unfinished, id)
		}
	}
	if err := relabelWrote(ctx, tx, name, runs); err != nil {
		return err
	}

	// Done batch series that main already has, from the same cut-off, from
	// another run: the newer run's forecasts are kept, the older's replaced.
	dups := []string{`
		CREATE TEMP TABLE dup_series AS
		SELECT s.run_id AS src_run, m.run_id AS dst_run, s.job, s.model, s.series, s.cutoff,
			julianday(sr.started_at) > julianday(mr.started_at) AS newer
		FROM src.batch_series AS s
		JOIN main.batch_series AS m
			ON m.model = s.model AND m.series = s.series AND m.cutoff = s.cutoff AND m.status = 'done'
		JOIN src.runs AS sr ON sr.id = s.run_id
		JOIN main.runs AS mr ON mr.id = m.run_id
		WHERE s.status = 'done' AND m.run_id <> (SELECT dst FROM run_map WHERE src = s.run_id)`, `
		DELETE FROM main.forecasts WHERE EXISTS (
			SELECT 1 FROM dup_series AS d JOIN main.model_versions AS mv ON mv.name = d.model
			WHERE d.newer AND d.dst_run = forecasts.run_id AND d.series = forecasts.series
				AND mv.id = forecasts.model_version_id)`, `
		UPDATE main.batch_series SET status = 'replaced', forecasts = 0 WHERE status = 'done' AND EXISTS (
			SELECT 1 FROM dup_series AS d
			WHERE d.newer AND d.dst_run = batch_series.run_id AND d.model = batch_series.model
				AND d.series = batch_series.series AND d.cutoff = batch_series.cutoff)`,
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.dup_series`)
	for i, q := range dups {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
		if i > 0 {
			continue
		}
		// Count the pairs this merge settles: not those of an earlier merge.
		if err := tx.QueryRowContext(ctx, `
			SELECT count(*) FROM dup_series AS d
			WHERE d.newer OR NOT EXISTS (SELECT 1 FROM main.batch_series AS m
				WHERE m.run_id = (SELECT dst FROM run_map WHERE src = d.src_run) AND m.job = d.job AND m.series = d.series)`).
			Scan(&st.Duplicates); err != nil {
			return err
		}
	}

	if st.MovedAliases, err = textColumn(ctx, tx, `
		SELECT a.name || '@' || a.alias || ': ' || mv.name || '@' || mv.version || ' -> ' || nv.name || '@' || nv.version
		FROM src.model_aliases AS a
		JOIN main.model_aliases AS m ON m.name = a.name AND m.alias = a.alias
		JOIN main.model_versions AS mv ON mv.id = m.model_version_id
		JOIN main.model_versions AS nv ON nv.id = (SELECT dst FROM mv_map WHERE src = a.model_version_id)
		WHERE a.updated_at > m.updated_at AND nv.id <> m.model_version_id
		ORDER BY a.name, a.alias`); err != nil {
		return err
	}
	if st.KeptTags, err = textColumn(ctx, tx, `
		SELECT mv.name || '@' || mv.version || ' ' || t.key || '=' || m.value || ' (not ' || t.value || ')'
		FROM src.model_tags AS t
		JOIN main.model_tags AS m ON m.model_version_id = (SELECT dst FROM mv_map WHERE src = t.model_version_id) AND m.key = t.key
		JOIN main.model_versions AS mv ON mv.id = m.model_version_id
		WHERE m.value <> t.value
		ORDER BY mv.name, mv.version, t.key`); err != nil {
		return err
	}

	copies := []struct {
		count *int
		query string
	}{
		{nil, `
		INSERT INTO main.model_aliases (name, alias, model_version_id, updated_at)
		SELECT a.name, a.alias, (SELECT dst FROM mv_map WHERE src = a.model_version_id), a.updated_at
		FROM src.model_aliases AS a WHERE true
		ON CONFLICT (name, alias) DO UPDATE SET
			model_version_id = excluded.model_version_id, updated_at = excluded.updated_at
		WHERE excluded.updated_at > model_aliases.updated_at`},
		{nil, `
		INSERT OR IGNORE INTO main.model_tags (model_version_id, key, value)
		SELECT (SELECT dst FROM mv_map WHERE src = t.model_version_id), t.key, t.value
		FROM src.model_tags AS t`},
		{&st.Forecasts, `
		INSERT OR IGNORE INTO main.forecasts (run_id, model_version_id, series, origin, time, step, value, lower, upper, level, method, mase_scale)
		SELECT r.dst, v.dst, f.series, f.origin, f.time, f.step, f.value, f.lower, f.upper, f.level, f.method, f.mase_scale
		FROM src.forecasts AS f
		JOIN run_map AS r ON r.src = f.run_id
		JOIN mv_map AS v ON v.src = f.model_version_id
		JOIN src.model_versions AS mv ON mv.id = f.model_version_id
		WHERE NOT EXISTS (SELECT 1 FROM dup_series AS d
			WHERE NOT d.newer AND d.src_run = f.run_id AND d.series = f.series AND d.model = mv.name)
			-- Replaced in src by a run that has not finished, but in main
			-- by one that has: that run deleted them there.
			AND NOT EXISTS (SELECT 1 FROM src.batch_series AS s
				JOIN main.batch_series AS m ON m.model = s.model AND m.series = s.series AND m.cutoff = s.cutoff AND m.status = 'done'
				JOIN main.runs AS mr ON mr.id = m.run_id
				WHERE s.run_id = f.run_id AND s.series = f.series AND s.model = mv.name AND s.status = 'replaced'
					AND mr.finished_at IS NOT NULL)
		ORDER BY f.id`},
		{nil, `
		INSERT OR IGNORE INTO main.forecast_intervals (forecast_id, level, lower, upper)
		SELECT m.id, i.level, i.lower, i.upper
		FROM src.forecast_intervals AS i
		JOIN src.forecasts AS f ON f.id = i.forecast_id
		JOIN run_map AS r ON r.src = f.run_id
		JOIN mv_map AS v ON v.src = f.model_version_id
		JOIN main.forecasts AS m
			ON m.run_id = r.dst AND m.model_version_id = v.dst AND m.series = f.series AND m.step = f.step`},
		{&st.Actuals, `
		INSERT INTO main.actuals (run_id, series, time, value)
		SELECT (SELECT dst FROM run_map WHERE src = a.run_id), a.series, a.time, a.value
		FROM src.actuals AS a WHERE true
		ON CONFLICT (series, time) DO UPDATE SET run_id = excluded.run_id, value = excluded.value
		WHERE julianday((SELECT started_at FROM main.runs WHERE id = excluded.run_id)) >
			julianday((SELECT started_at FROM main.runs WHERE id = actuals.run_id))`},
		{nil, `
		INSERT OR IGNORE INTO main.batch_jobs (run_id, job, model, config, refit, decision, model_version_id,
			status, error, series_done, series_failed, series_skipped, started_at, finished_at, fit_seconds, seconds)
		SELECT (SELECT dst FROM run_map WHERE src = j.run_id), j.job, j.model, j.config, j.refit, j.decision,
			(SELECT dst FROM mv_map WHERE src = j.model_version_id), j.status, j.error, j.series_done,
			j.series_failed, j.series_skipped, j.started_at, j.finished_at, j.fit_seconds, j.seconds
		FROM src.batch_jobs AS j`},
		{&st.BatchSeries, `
		INSERT OR IGNORE INTO main.batch_series (run_id, job, model, series, cutoff, status, error, forecasts, seconds)
		SELECT (SELECT dst FROM run_map WHERE src = s.run_id), s.job, s.model, s.series, s.cutoff,
			CASE WHEN EXISTS (SELECT 1 FROM dup_series AS d
				WHERE NOT d.newer AND d.src_run = s.run_id AND d.job = s.job AND d.series = s.series) THEN 'replaced' ELSE s.status END,
			s.error, s.forecasts, s.seconds
		FROM src.batch_series AS s`},
	}
	for _, c := range copies {
		res, err := tx.ExecContext(ctx, c.query)
		if err != nil {
			return err
		}
		if c.count != nil {
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			*c.count = int(k)
		}
	}
	// As FinishBatch deletes the forecasts a run replaced: those of series
	// marked replaced that a run which finished did again from the same
	// cut-off, having started later. A shard whose replacing run was
	// killed, merged before the twin shard where it finished, brought them.
	_, err = tx.ExecContext(ctx, `
		DELETE FROM main.forecasts WHERE id IN (
			SELECT f.id FROM main.batch_series AS done
			JOIN main.runs AS dr ON dr.id = done.run_id AND dr.finished_at IS NOT NULL
			JOIN main.batch_series AS old ON old.model = done.model AND old.series = done.series AND old.cutoff = done.cutoff
				AND old.status = 'replaced' AND old.run_id <> done.run_id
			JOIN main.runs AS oldr ON oldr.id = old.run_id AND julianday(oldr.started_at) < julianday(dr.started_at)
			JOIN main.model_versions AS v ON v.name = old.model
			JOIN main.forecasts AS f ON f.run_id = old.run_id AND f.model_version_id = v.id AND f.series = old.series
			WHERE done.status = 'done')`)
	return err
}

// mapNew inserts, for each src id that pending selects, the row insert
// makes of it (insert takes the src id) and records the new id in the map
// table; it returns how many it inserted.
func mapNew(ctx context.Context, tx *dbTx, table, pending, insert string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, pending)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		res, err := tx.ExecContext(ctx, insert, id)
		if err != nil {
			return nil, err
		}
		dst, err := res.LastInsertId()
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET dst = ? WHERE src = ?`, dst, id); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// relabelWrote rewrites the model versions that the runs of src (whose
// file is called name) with the ids runs (copied into main) say they
// wrote (runs.wrote, NAME@VERSION) as the versions they became in main,
// which numbers them after its own. A version src no longer holds is
// labelled as deleted there, so that its label does not name a version
// of main: "air@2 (deleted from shard.db before the merge)".
func relabelWrote(ctx context.Context, tx *dbTx, name string, runs []int64) error {
	for _, id := range runs {
		var dst int64
		var doc sql.NullString
		if err := tx.QueryRowContext(ctx, `
			SELECT r.dst, s.wrote FROM run_map AS r JOIN src.runs AS s ON s.id = r.src WHERE r.src = ?`, id).Scan(&dst, &doc); err != nil {
			return err
		}
		if !doc.Valid || doc.String == "" {
			continue
		}
		var wrote map[string]any
		if err := json.Unmarshal([]byte(doc.String), &wrote); err != nil {
			continue // not ours to mend: copied as it was
		}
		labels, _ := wrote["model_versions"].([]any)
		changed := false
		for i, l := range labels {
			label, _ := l.(string)
			at := strings.LastIndexByte(label, '@')
			version, err := strconv.Atoi(label[at+1:])
			if at < 0 || err != nil {
				continue
			}
			var now string
			err = tx.QueryRowContext(ctx, `
				SELECT m.name || '@' || m.version FROM src.model_versions AS s
				JOIN mv_map AS v ON v.src = s.id JOIN main.model_versions AS m ON m.id = v.dst
				WHERE s.name = ? AND s.version = ?`, label[:at], version).Scan(&now)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				labels[i], changed = fmt.Sprintf("%s (deleted from %s before the merge)", label, name), true
			case err != nil:
				return err
			case now != label:
				labels[i], changed = now, true
			}
		}
		if !changed {
			continue
		}
		b, err := json.Marshal(wrote)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE main.runs SET wrote = ? WHERE id = ?`, string(b), dst); err != nil {
			return err
		}
	}
	return nil
}

// textColumn returns the text of the one column of query's rows, in tx.
func textColumn(ctx context.Context, tx *dbTx, query string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
