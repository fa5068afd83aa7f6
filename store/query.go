package store

// The queries of a long-lived reader such as forecast serve: paged, searched
// and by series. They are kept in this one file, each a fixed SQL text with
// placeholders for every value that comes from a request.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// OpenReader opens the existing forecast database at path for a process
// that only reads it while others may write, such as a server: upgraded
// first if it is writable and of an older schema, then opened read-only
// (mode=ro), so that reads neither take the write lock nor wait for a
// writer (the database uses WAL). A path that does not exist is an error
// wrapping os.ErrNotExist; nothing is created.
func OpenReader(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db, err := Open(ctx, path)
	var upgraded, version int
	switch {
	case err == nil:
		upgraded, version = db.Upgraded, db.Version
		db.Close()
	case !isPermissionError(err):
		return nil, err
	}
	ro, err := openReadOnly(ctx, path, readOnly, immutable)
	if err != nil {
		return nil, err
	}
	ro.Upgraded, ro.Version = upgraded, version
	if err := ro.checkCurrent(ctx); err != nil {
		ro.Close()
		return nil, err
	}
	// Keep the connections of concurrent requests open: a new one reads
	// the schema again.
	ro.db.SetMaxIdleConns(readerConns)
	ro.db.SetMaxOpenConns(readerConns)
	return ro, nil
}

// readerConns bounds the connections of an OpenReader database; more
// requests at once wait for one.
const readerConns = 64

// Page is a window on an ordered list: Limit items from Offset on.
type Page struct {
	Limit, Offset int
}

// SeriesSummary is one series that has forecasts or actuals.
type SeriesSummary struct {
	Series     string
	Forecasts  int       // stored forecast rows
	Actuals    int       // recorded actuals
	LastOrigin time.Time // newest forecast origin; zero if none or without times
}

// SeriesFilter selects series for ListSeries.
type SeriesFilter struct {
	Search string // only series whose name contains Search; "" means all
	Model  string // only series with forecasts by this model name; "" means all
	Page
}

// ListSeries returns the series f selects, ordered by name, and how many
// there are in all.
func (db *DB) ListSeries(ctx context.Context, f SeriesFilter) (series []SeriesSummary, total int, err error) {
	like := "%" + escapeLike(f.Search) + "%"
	rows, err := db.db.QueryContext(ctx, `
		WITH s AS (
			SELECT f.series, count(*) AS forecasts, max(f.origin) AS last_origin, 0 AS actuals
			FROM forecasts AS f
			WHERE f.series LIKE ?1 ESCAPE '\'
				AND (?2 = '' OR f.model_version_id IN (SELECT id FROM model_versions WHERE name = ?2))
			GROUP BY f.series
			UNION ALL
			SELECT a.series, 0, NULL, count(*)
			FROM actuals AS a
			WHERE a.series LIKE ?1 ESCAPE '\'
				AND (?2 = '' OR a.series IN (SELECT series FROM forecasts
					WHERE model_version_id IN (SELECT id FROM model_versions WHERE name = ?2)))
			GROUP BY a.series
		)
		SELECT series, sum(forecasts), max(last_origin), sum(actuals), count(*) OVER ()
		FROM s
		GROUP BY series
		ORDER BY series
		LIMIT ?3 OFFSET ?4`, like, f.Model, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s SeriesSummary
		var origin sql.NullString
		if err := rows.Scan(&s.Series, &s.Forecasts, &origin, &s.Actuals, &total); err != nil {
			return nil, 0, db.formatError(err)
		}
		if s.LastOrigin, err = parseNullTime(origin); err != nil {
			return nil, 0, fmt.Errorf("series %q: origin: %w", s.Series, err)
		}
		series = append(series, s)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, db.formatError(err)
	}
	if len(series) == 0 && f.Offset > 0 {
		// The window is past the end; count the series without it.
		_, total, err = db.ListSeries(ctx, SeriesFilter{Search: f.Search, Model: f.Model, Page: Page{Limit: 1}})
	}
	return series, total, err
}

// escapeLike escapes the wildcards of LIKE in s, for ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// HasActuals reports whether any actual is recorded.
func (db *DB) HasActuals(ctx context.Context) (bool, error) {
	var has bool
	if err := db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM actuals)`).Scan(&has); err != nil {
		return false, db.formatError(err)
	}
	return has, nil
}

// FindActuals returns the newest actuals of series at or before until
// (zero: all), the page p of them counted from the newest, oldest first,
// and how many there are in all.
func (db *DB) FindActuals(ctx context.Context, series string, until time.Time, p Page) (out []Actual, total int, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer tx.Rollback()
	const where = `WHERE series = ?1 AND (?2 = '' OR time <= ?2)`
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM actuals `+where, series, nullTimeText(until)).Scan(&total); err != nil {
		return nil, 0, db.formatError(err)
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT time, value FROM actuals `+where+`
		ORDER BY time DESC LIMIT ?3 OFFSET ?4`, series, nullTimeText(until), p.Limit, p.Offset)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		a := Actual{Series: series}
		var t string
		if err := rows.Scan(&t, &a.Value); err != nil {
			return nil, 0, db.formatError(err)
		}
		if a.Time, err = parseTime(t); err != nil {
			return nil, 0, fmt.Errorf("actual of %q: time: %w", series, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, db.formatError(err)
	}
	slices.Reverse(out)
	return out, total, nil
}

// SeriesForecast is the forecast of one series made by one run with one
// model version: its steps from one origin.
type SeriesForecast struct {
	Model   string
	Version int
	RunID   int64
	Series  string
	Origin  time.Time // zero without times
	Method  string    // "" if not recorded
	Points  []ForecastPoint
}

// ForecastPoint is one step of a SeriesForecast.
type ForecastPoint struct {
	Step      int
	Time      time.Time // zero without times
	Value     float64
	Intervals []Interval // by level, narrowest first; empty for a point forecast
}

// Origin is one forecast made of a series: its origin, model version and run.
type Origin struct {
	Origin  time.Time // zero without times
	Model   string
	Version int
	RunID   int64
	Steps   int
}

// FindSeriesForecast returns the forecast of series made from origin (the
// newest origin if origin is zero) by the model ref names: a version or
// alias (the newest version for NAME@latest), or with only a Name every
// version of it, or with Name "" every
// model, but for versions of a batch that has not finished (running, or
// killed), which a name means only once it has. Of several runs from one
// origin, the one that started last is taken. No such forecast, or a model
// ref names that does not exist, gives an error
// wrapping ErrNotFound. It is one statement (after reading which version
// NAME@latest is), so it reads one snapshot without a transaction.
func (db *DB) FindSeriesForecast(ctx context.Context, ref ModelRef, series string, origin time.Time) (*SeriesForecast, error) {
	if ref.Latest {
		mv, err := db.FindModelVersion(ctx, ref)
		if err != nil {
			return nil, err
		}
		ref = ModelRef{Name: mv.Name, Version: mv.Version}
	}
	rows, err := db.db.QueryContext(ctx, `
		WITH pick AS (
			SELECT f.run_id, f.model_version_id
			FROM forecasts AS f
			JOIN model_versions AS mv ON mv.id = f.model_version_id
			JOIN runs AS r ON r.id = f.run_id
			WHERE f.series = ?1 AND f.step = 1
				AND (?2 = '' OR mv.name = ?2)
				AND (?3 = 0 OR mv.version = ?3)
				AND (?4 = '' OR mv.id = (SELECT a.model_version_id FROM model_aliases AS a WHERE a.name = ?2 AND a.alias = ?4))
				AND (?5 = '' OR f.origin = ?5)
				AND (?3 <> 0 OR ?4 <> '' OR `+finishedVersion("mv")+`)
			ORDER BY f.origin DESC, julianday(r.started_at) DESC, f.run_id DESC, mv.id DESC
			LIMIT 1
		)
		SELECT f.run_id, mv.name, mv.version, f.origin, f.method, f.step, f.time, f.value, i.lower, i.upper, i.level
		FROM pick
		JOIN forecasts AS f ON f.run_id = pick.run_id AND f.model_version_id = pick.model_version_id AND f.series = ?1
		JOIN model_versions AS mv ON mv.id = f.model_version_id
		LEFT JOIN forecast_intervals AS i ON i.forecast_id = f.id
		ORDER BY f.step, i.level`, series, ref.Name, ref.Version, ref.Alias, nullTimeText(origin))
	if err != nil {
		return nil, db.formatError(err)
	}
	defer rows.Close()
	fc := SeriesForecast{Series: series}
	for rows.Next() {
		var p ForecastPoint
		var originText, method, t sql.NullString
		var lower, upper, level sql.NullFloat64
		if err := rows.Scan(&fc.RunID, &fc.Model, &fc.Version, &originText, &method,
			&p.Step, &t, &p.Value, &lower, &upper, &level); err != nil {
			return nil, db.formatError(err)
		}
		if fc.Origin, err = parseNullTime(originText); err != nil {
			return nil, fmt.Errorf("forecast of %q: origin: %w", series, err)
		}
		if p.Time, err = parseNullTime(t); err != nil {
			return nil, fmt.Errorf("forecast of %q: time: %w", series, err)
		}
		fc.Method = method.String
		// A row per interval of a step, by level.
		if n := len(fc.Points); n > 0 && fc.Points[n-1].Step == p.Step {
			fc.Points[n-1].Intervals = append(fc.Points[n-1].Intervals, Interval{Lower: lower.Float64, Upper: upper.Float64, Level: level.Float64})
			continue
		}
		if lower.Valid && upper.Valid {
			p.Intervals = []Interval{{Lower: lower.Float64, Upper: upper.Float64, Level: level.Float64}}
		}
		fc.Points = append(fc.Points, p)
	}
	if err := rows.Err(); err != nil {
		return nil, db.formatError(err)
	}
	if len(fc.Points) == 0 {
		return nil, db.noSeriesForecast(ctx, ref, series, origin)
	}
	return &fc, nil
}

// noSeriesForecast explains why FindSeriesForecast found nothing: the
// model or its version or alias does not exist, or it has no such forecast.
func (db *DB) noSeriesForecast(ctx context.Context, ref ModelRef, series string, origin time.Time) error {
	if ref.Name != "" {
		tx, err := db.beginRead(ctx)
		if err != nil {
			return db.formatError(err)
		}
		defer tx.Rollback()
		if _, _, err := findModelVersionID(ctx, tx, ref); err != nil {
			return db.formatError(err)
		}
	}
	what := fmt.Sprintf("series %q has no forecasts", series)
	if ref.Name != "" {
		what += " by " + ref.String()
	}
	if !origin.IsZero() {
		what += " from " + formatTime(origin)
	}
	return errorf(ErrNotFound, "%s", what)
}

// nullTimeText is t as stored, or "" for the zero time.
func nullTimeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

// ListOrigins returns the forecasts made of series by the model called
// model ("": every model), newest origin first, the page p of them, and
// how many there are in all.
func (db *DB) ListOrigins(ctx context.Context, model, series string, p Page) (origins []Origin, total int, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer tx.Rollback()
	const from = `
		FROM forecasts AS f
		JOIN model_versions AS mv ON mv.id = f.model_version_id
		JOIN runs AS r ON r.id = f.run_id
		WHERE f.series = ?1 AND (?2 = '' OR mv.name = ?2)
		GROUP BY f.run_id, f.model_version_id`
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 `+from+`)`, series, model).Scan(&total); err != nil {
		return nil, 0, db.formatError(err)
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT f.origin, mv.name, mv.version, f.run_id, count(*) `+from+`
		ORDER BY f.origin DESC, julianday(r.started_at) DESC, f.run_id DESC, mv.name, mv.version
		LIMIT ?3 OFFSET ?4`, series, model, p.Limit, p.Offset)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var o Origin
		var t sql.NullString
		if err := rows.Scan(&t, &o.Model, &o.Version, &o.RunID, &o.Steps); err != nil {
			return nil, 0, db.formatError(err)
		}
		if o.Origin, err = parseNullTime(t); err != nil {
			return nil, 0, fmt.Errorf("forecast of %q: origin: %w", series, err)
		}
		origins = append(origins, o)
	}
	return origins, total, db.formatError(rows.Err())
}

// ForecastError is a stored forecast beside the actual of its target time
// (the forecast_errors view).
type ForecastError struct {
	Model           string
	Version         int
	RunID           int64
	Origin, Time    time.Time
	Step            int
	Forecast        float64
	Actual          float64
	Interval        *Interval // nil for a point forecast
	IntervalCovered bool      // Actual lies in Interval
}

// FindForecastErrors returns the stored forecasts of series by the model
// called model ("": every model) that have an actual (as the
// forecast_errors view): the page p of them, newest target time first,
// returned oldest first; and how many there are in all.
func (db *DB) FindForecastErrors(ctx context.Context, model, series string, p Page) (errs []ForecastError, total int, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer tx.Rollback()
	const from = ` FROM forecast_errors WHERE series = ?1 AND (?2 = '' OR model = ?2)`
	if err := tx.QueryRowContext(ctx, `SELECT count(*) `+from, series, model).Scan(&total); err != nil {
		return nil, 0, db.formatError(err)
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT model, version, run_id, origin, time, step, forecast, actual, lower, upper, level `+from+`
		ORDER BY time DESC, origin DESC, run_id DESC, model, version
		LIMIT ?3 OFFSET ?4`, series, model, p.Limit, p.Offset)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e ForecastError
		var origin, t sql.NullString
		var lower, upper, level sql.NullFloat64
		if err := rows.Scan(&e.Model, &e.Version, &e.RunID, &origin, &t, &e.Step, &e.Forecast, &e.Actual,
			&lower, &upper, &level); err != nil {
			return nil, 0, db.formatError(err)
		}
		if e.Origin, err = parseNullTime(origin); err != nil {
			return nil, 0, fmt.Errorf("forecast of %q: origin: %w", series, err)
		}
		if e.Time, err = parseNullTime(t); err != nil {
			return nil, 0, fmt.Errorf("forecast of %q: time: %w", series, err)
		}
		if lower.Valid && upper.Valid {
			e.Interval = &Interval{Lower: lower.Float64, Upper: upper.Float64, Level: level.Float64}
			e.IntervalCovered = e.Actual >= e.Interval.Lower && e.Actual <= e.Interval.Upper
		}
		errs = append(errs, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, db.formatError(err)
	}
	slices.Reverse(errs)
	return errs, total, nil
}

// FindSeriesAccuracy returns the realised accuracy of every model version
// on series (the forecast_accuracy view), ordered by model and version.
func (db *DB) FindSeriesAccuracy(ctx context.Context, series string) ([]Accuracy, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+accuracyColumns+`
		FROM forecast_accuracy
		WHERE series = ?
		ORDER BY model, version`, series)
	if err != nil {
		return nil, db.formatError(err)
	}
	out, err := scanAccuracy(rows)
	if err != nil {
		return nil, db.formatError(err)
	}
	return out, db.formatError(addOtherLevels(ctx, db.db, out, "series = ?", []any{series}))
}

// RunFilter selects runs for ListRunsPage.
type RunFilter struct {
	Command string // only runs of this command, e.g. "batch"; "" means all
	Page
}

// ListRunsPage returns the runs f selects, the last started first (run
// ids order them only within one database: merge numbers a shard's runs
// after the target's), and how many there are in all.
func (db *DB) ListRunsPage(ctx context.Context, f RunFilter) (runs []*Run, total int, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE ?1 = '' OR command = ?1`, f.Command).Scan(&total); err != nil {
		return nil, 0, db.formatError(err)
	}
	if runs, err = listRunsWhere(ctx, tx, `?1 = '' OR command = ?1 ORDER BY julianday(started_at) DESC, id DESC LIMIT ?2 OFFSET ?3`,
		f.Command, f.Limit, f.Offset); err != nil {
		return nil, 0, db.formatError(err)
	}
	return runs, total, db.formatError(tx.Commit())
}

// FindRun returns the run with id; an error wrapping ErrNotFound if there
// is none.
func (db *DB) FindRun(ctx context.Context, id int64) (*Run, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()
	runs, err := listRunsWhere(ctx, tx, `id = ?1`, id)
	if err != nil {
		return nil, db.formatError(err)
	}
	if len(runs) == 0 {
		return nil, errorf(ErrNotFound, "run %d not found", id)
	}
	return runs[0], db.formatError(tx.Commit())
}

// listRunsWhere returns the runs of the condition and order clause where,
// with args for its numbered placeholders.
func listRunsWhere(ctx context.Context, tx *dbTx, where string, args ...any) ([]*Run, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+runColumns+` FROM runs WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	return scanRuns(rows)
}

// FindBatchJobs returns the jobs of the batch run runID, by name.
func (db *DB) FindBatchJobs(ctx context.Context, runID int64) ([]BatchJob, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT job, model, refit, coalesce(decision, ''), coalesce(model_version_id, 0), status,
			coalesce(error, ''), series_done, series_failed, series_skipped, started_at,
			coalesce(finished_at, ''), coalesce(fit_seconds, 0), coalesce(seconds, 0)
		FROM batch_jobs WHERE run_id = ? ORDER BY job`, runID)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer rows.Close()
	var out []BatchJob
	for rows.Next() {
		j := BatchJob{RunID: runID}
		var started, finished string
		var fit, secs float64
		if err := rows.Scan(&j.Job, &j.Model, &j.Refit, &j.Decision, &j.ModelVersionID, &j.Status,
			&j.Error, &j.Done, &j.Failed, &j.Skipped, &started, &finished, &fit, &secs); err != nil {
			return nil, db.formatError(err)
		}
		if j.StartedAt, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("batch job %q: started_at: %w", j.Job, err)
		}
		if finished != "" {
			if j.FinishedAt, err = parseTime(finished); err != nil {
				return nil, fmt.Errorf("batch job %q: finished_at: %w", j.Job, err)
			}
		}
		j.FitDuration, j.Duration = seconds(fit), seconds(secs)
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, db.formatError(err)
	}
	// A job still running when no live batch holds the lock was stopped
	// with its process; it reads as the next batch will record it.
	for i := range out {
		if out[i].Status != "running" {
			continue
		}
		live, err := db.batchLive(ctx)
		if err != nil {
			return nil, err
		}
		if !live {
			for k := range out {
				if out[k].Status == "running" {
					out[k].Status, out[k].Error = "failed", stoppedJob
				}
			}
		}
		break
	}
	return out, nil
}

// batchLive reports whether a live process holds the batch lock: one
// whose heartbeat is recent and, on this host, whose process runs.
func (db *DB) batchLive(ctx context.Context) (bool, error) {
	var h lockHolder
	var beat string
	err := db.db.QueryRowContext(ctx, `SELECT host, pid, heartbeat_at FROM locks WHERE name = 'batch'`).Scan(&h.host, &h.pid, &beat)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, db.formatError(err)
	}
	if h.heartbeat, err = parseTime(beat); err != nil {
		return false, nil // an unreadable lock guards nothing
	}
	host, _ := os.Hostname()
	return h.live(host, db.now()), nil
}

// seconds converts a number of seconds to a duration.
func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// FindBatchSeries returns the series of the batch run runID whose status
// is status ("": any), by job and series, and how many there are in all.
// Forecasts and ModelVersionID are not read.
func (db *DB) FindBatchSeries(ctx context.Context, runID int64, status string, p Page) (ss []BatchSeries, total int, err error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT job, model, series, cutoff, status, coalesce(error, ''), coalesce(seconds, 0), count(*) OVER ()
		FROM batch_series
		WHERE run_id = ?1 AND (?2 = '' OR status = ?2)
		ORDER BY job, series
		LIMIT ?3 OFFSET ?4`, runID, status, p.Limit, p.Offset)
	if err != nil {
		return nil, 0, db.formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s BatchSeries
		var secs float64
		if err := rows.Scan(&s.Job, &s.Model, &s.Series, &s.Cutoff, &s.Status, &s.Error, &secs, &total); err != nil {
			return nil, 0, db.formatError(err)
		}
		s.Duration = seconds(secs)
		ss = append(ss, s)
	}
	return ss, total, db.formatError(rows.Err())
}
