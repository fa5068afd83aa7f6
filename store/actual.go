package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Actual is one observed value of a series.
type Actual struct {
	Series string
	Time   time.Time
	Value  float64
}

// Accuracy is the realised accuracy of one model version on one series:
// its stored forecasts scored against the actuals recorded for their target
// times (the forecast_accuracy view).
type Accuracy struct {
	Model     string
	Version   int
	Series    string
	Forecasts int     // forecasts that have an actual
	MAE       float64 // mean absolute error
	// MASE is the mean of the absolute errors each over its forecast's
	// MASE scale (see the package documentation); nil if none has one.
	MASE *float64
	// Intervals counts the forecasts with an interval, and Coverage is the
	// share of their actuals inside the widest one; nil if none has one.
	Intervals int
	Coverage  *float64
	// ByLevel is the coverage of the intervals of each level that some
	// scored forecast has, in order.
	ByLevel     []LevelCoverage
	First, Last time.Time // the first and last target time scored
}

// LevelCoverage is the share of actuals inside the intervals of one level.
type LevelCoverage struct {
	Level     float64 // e.g. 0.8
	Intervals int     // forecasts with an interval of Level
	Coverage  float64 // the share of their actuals inside it
}

// SaveActuals records observed values, with their run, in one transaction.
// A value already recorded for a series and time is replaced; one recorded
// the same stays as it was, with its run. On error
// nothing is written and run is unchanged. It sets run's ID, FinishedAt,
// Status and Wrote.
func (db *DB) SaveActuals(ctx context.Context, run *Run, acts []Actual) error {
	for _, a := range acts {
		switch {
		case a.Series == "":
			return errors.New("save actuals: series required")
		case a.Time.IsZero():
			return fmt.Errorf("save actuals of %q: every actual needs a time", a.Series)
		case !isFinite(a.Value):
			return fmt.Errorf("save actuals of %q: the value for %s is %v, not a finite number", a.Series, a.Time.Format(time.RFC3339), a.Value)
		}
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	r := *run
	r.Wrote = Wrote{}
	if err := createRun(ctx, tx, &r); err != nil {
		return db.formatError(err)
	}
	replaced, unchanged, err := createActuals(ctx, tx, r.ID, acts)
	if err != nil {
		return db.formatError(err)
	}
	r.Wrote = Wrote{Actuals: len(acts) - unchanged, ActualsReplaced: replaced, ActualsUnchanged: unchanged}
	if err := updateWrote(ctx, tx, &r); err != nil {
		return db.formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.formatError(err)
	}
	*run = r
	return nil
}

// FindAccuracy returns the realised accuracy of the versions ref names,
// ordered by model, version and series: with Name "" every version of every
// model, with only a Name every version of that model, else the one version
// (the newest for NAME@latest).
// Versions without a forecast that has an actual are left out. A model ref
// names that does not exist gives an error wrapping ErrNotFound.
func (db *DB) FindAccuracy(ctx context.Context, ref ModelRef) ([]Accuracy, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()

	where, args := "1", []any(nil)
	switch {
	case ref.Version != 0 || ref.Alias != "" || ref.Latest:
		_, version, err := findModelVersionID(ctx, tx, ref)
		if err != nil {
			return nil, db.formatError(err)
		}
		where, args = "model = ? AND version = ?", []any{ref.Name, version}
	case ref.Name != "":
		if _, _, err := findModelVersionID(ctx, tx, ref); err != nil {
			return nil, db.formatError(err)
		}
		where, args = "model = ?", []any{ref.Name}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+accuracyColumns+`
		FROM forecast_accuracy
		WHERE `+where+`
		ORDER BY model, version, series`, args...)
	if err != nil {
		return nil, db.formatError(err)
	}
	out, err := scanAccuracy(rows)
	if err != nil {
		return nil, db.formatError(err)
	}
	if err := addOtherLevels(ctx, tx, out, where, args); err != nil {
		return nil, db.formatError(err)
	}
	return out, db.formatError(tx.Commit())
}

// addOtherLevels adds to the ByLevel of accs, the accuracy of the
// forecast_errors rows that where selects, the coverage of the levels other
// than 80 and 95 % (which forecast_accuracy gives), from the intervals of
// the forecasts scored, in order of level.
func addOtherLevels(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, accs []Accuracy, where string, args []any) error {
	rows, err := q.QueryContext(ctx, `
		SELECT e.model, e.version, e.series, i.level, count(*),
			avg(CASE WHEN e.actual BETWEEN i.lower AND i.upper THEN 1.0 ELSE 0.0 END)
		FROM (SELECT * FROM forecast_errors WHERE `+where+`) AS e
		JOIN model_versions AS mv ON mv.name = e.model AND mv.version = e.version
		JOIN forecasts AS f ON f.run_id = e.run_id AND f.model_version_id = mv.id AND f.series = e.series AND f.step = e.step
		JOIN forecast_intervals AS i ON i.forecast_id = f.id
		WHERE i.level NOT IN (0.8, 0.95)
		GROUP BY e.model, e.version, e.series, i.level`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	type key struct {
		model   string
		version int
		series  string
	}
	index := make(map[key]int, len(accs))
	for i, a := range accs {
		index[key{a.Model, a.Version, a.Series}] = i
	}
	for rows.Next() {
		var k key
		var lc LevelCoverage
		if err := rows.Scan(&k.model, &k.version, &k.series, &lc.Level, &lc.Intervals, &lc.Coverage); err != nil {
			return err
		}
		if i, ok := index[k]; ok {
			accs[i].ByLevel = append(accs[i].ByLevel, lc)
		}
	}
	for i := range accs {
		slices.SortFunc(accs[i].ByLevel, func(a, b LevelCoverage) int { return cmp.Compare(a.Level, b.Level) })
	}
	return rows.Err()
}

// accuracyColumns are the columns of forecast_accuracy that scanAccuracy
// reads, in its order.
const accuracyColumns = `model, version, series, forecasts, mae, mase, intervals, coverage, first_time, last_time,
	intervals_80, coverage_80, intervals_95, coverage_95`

// scanAccuracy reads the rows of forecast_accuracy that select
// accuracyColumns, and closes them.
func scanAccuracy(rows *sql.Rows) ([]Accuracy, error) {
	defer rows.Close()
	var out []Accuracy
	for rows.Next() {
		var a Accuracy
		var mase, coverage sql.NullFloat64
		var first, last string
		var n80, n95 int
		var cov80, cov95 sql.NullFloat64
		if err := rows.Scan(&a.Model, &a.Version, &a.Series, &a.Forecasts, &a.MAE, &mase,
			&a.Intervals, &coverage, &first, &last, &n80, &cov80, &n95, &cov95); err != nil {
			return nil, err
		}
		if n80 > 0 {
			a.ByLevel = append(a.ByLevel, LevelCoverage{Level: 0.8, Intervals: n80, Coverage: cov80.Float64})
		}
		if n95 > 0 {
			a.ByLevel = append(a.ByLevel, LevelCoverage{Level: 0.95, Intervals: n95, Coverage: cov95.Float64})
		}
		if mase.Valid {
			a.MASE = &mase.Float64
		}
		if coverage.Valid {
			a.Coverage = &coverage.Float64
		}
		var err error
		if a.First, err = parseTime(first); err != nil {
			return nil, fmt.Errorf("accuracy of %s@%d: first_time: %w", a.Model, a.Version, err)
		}
		if a.Last, err = parseTime(last); err != nil {
			return nil, fmt.Errorf("accuracy of %s@%d: last_time: %w", a.Model, a.Version, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// createActuals upserts the actuals of a run and returns how many replaced a
// recorded value and how many were recorded already, the same: those keep
// the run that recorded them.
func createActuals(ctx context.Context, tx *dbTx, runID int64, acts []Actual) (replaced, unchanged int, err error) {
	var before int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM actuals`).Scan(&before); err != nil {
		return 0, 0, err
	}
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO actuals (run_id, series, time, value) VALUES (?, ?, ?, ?)
		ON CONFLICT (series, time) DO UPDATE SET run_id = excluded.run_id, value = excluded.value
		WHERE actuals.value IS NOT excluded.value`)
	if err != nil {
		return 0, 0, err
	}
	defer stmt.Close()
	written := 0
	for _, a := range acts {
		res, err := stmt.ExecContext(ctx, runID, a.Series, formatTime(a.Time), a.Value)
		if err != nil {
			return 0, 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, 0, err
		}
		written += int(n)
	}
	var after int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM actuals`).Scan(&after); err != nil {
		return 0, 0, err
	}
	return written - (after - before), len(acts) - written, nil
}
