package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Forecast is one forecast value to save.
type Forecast struct {
	Series string
	Origin time.Time // the last observed time; zero without a time axis
	Time   time.Time // the target time; zero without a time axis
	Step   int       // 1 for the first time after Origin, up to the horizon
	Value  float64
	// Intervals are the prediction intervals of Value, at most one per
	// level; none for a point forecast. Each must be bounded.
	Intervals []Interval
	// Method is the forecasting method that produced Value: "gru", or a
	// classical one such as "ets(M,Ad,M)", "theta", "snaive". "" is stored
	// as NULL, as are the rows written before it was recorded.
	Method string
	// MASEScale is the scale of the realised MASE of Value: the mean
	// absolute seasonal difference of the values of the series it was
	// forecast from (forecast.MASEScale). NaN where it is undefined (no
	// MASE, stored as 0); 0 where it is not known, stored as NULL: the
	// version's mase_scale then stands in.
	MASEScale float64
}

// Interval is a prediction interval [Lower, Upper] that should hold the
// actual value with probability Level (e.g. 0.9).
type Interval struct {
	Lower, Upper, Level float64
}

// widest returns the interval of the highest level of ivs, or nil: the one
// the columns forecasts.lower, upper and level keep.
func widest(ivs []Interval) *Interval {
	var w *Interval
	for i := range ivs {
		if w == nil || ivs[i].Level > w.Level {
			w = &ivs[i]
		}
	}
	return w
}

// ForecastRow is a stored forecast with the model version and run that made it.
type ForecastRow struct {
	RunID        int64
	Model        string
	Version      int
	Series       string
	Origin, Time time.Time
	Step         int
	Value        float64
	Intervals    []Interval // by increasing level; none for a point forecast
	Method       string     // the method that produced Value; "" if not recorded
}

// ForecastFilter selects stored forecasts. The zero value selects the
// forecasts of the newest version of every model.
type ForecastFilter struct {
	// Model selects one version, or with only a Name the newest version of
	// that model. nil means every model: the newest version of each, unless
	// RunID or LatestRun picks a run.
	Model *ModelRef

	Series    string // only this series; "" means all
	RunID     int64  // only this run; 0 means all
	LatestRun bool   // only the run that started last among the forecasts the other fields select
	// LatestOrigin keeps, per model name and series, only the forecasts
	// from the newest origin (the latest_origin_forecasts view).
	LatestOrigin bool
	Since        time.Time // only target times at or after Since; zero means all
	// AllVersions takes every version of the models selected, where Model
	// is nil or names no version or alias, in place of the newest.
	AllVersions bool
}

// SavePredict records a run that forecast with the stored model version
// modelVersionID, with its forecasts, in one transaction. On error nothing is
// written and run is unchanged. It sets run's ID, FinishedAt, Status and Wrote.
func (db *DB) SavePredict(ctx context.Context, run *Run, modelVersionID int64, fcs []Forecast) error {
	if err := checkForecasts(fcs); err != nil {
		return fmt.Errorf("save forecasts: %w", err)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	r := *run
	r.Wrote = Wrote{Forecasts: len(fcs)}
	if err := createRun(ctx, tx, &r); err != nil {
		return db.formatError(err)
	}
	if err := createForecasts(ctx, tx, r.ID, modelVersionID, fcs); err != nil {
		if isForeignKeyError(err) {
			return errorf(ErrNotFound, "save forecasts: model version (id %d) not found", modelVersionID)
		}
		return db.formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.formatError(err)
	}
	*run = r
	return nil
}

// FindForecasts returns the forecasts f selects, ordered by model, version,
// series, run and step. A model f names that does not exist, or lacks the
// version or alias, gives an error wrapping ErrNotFound.
func (db *DB) FindForecasts(ctx context.Context, f ForecastFilter) ([]ForecastRow, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()
	cond, args, err := forecastCondition(ctx, tx, f)
	if err != nil {
		return nil, db.formatError(err)
	}
	rows, err := findForecasts(ctx, tx, cond, args...)
	if err != nil {
		return nil, db.formatError(err)
	}
	return rows, db.formatError(tx.Commit())
}

// ForecastVersions returns the model versions whose forecasts f selects,
// by name and version, without reading the forecasts.
func (db *DB) ForecastVersions(ctx context.Context, f ForecastFilter) ([]ModelRef, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()
	cond, args, err := forecastCondition(ctx, tx, f)
	if err != nil {
		return nil, db.formatError(err)
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT DISTINCT mv.name, mv.version
		FROM forecasts AS f
		JOIN model_versions AS mv ON mv.id = f.model_version_id
		WHERE `+cond+`
		ORDER BY mv.name, mv.version`, args...)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer rows.Close()
	var refs []ModelRef
	for rows.Next() {
		var r ModelRef
		if err := rows.Scan(&r.Name, &r.Version); err != nil {
			return nil, db.formatError(err)
		}
		refs = append(refs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, db.formatError(err)
	}
	return refs, db.formatError(tx.Commit())
}

// forecastCondition is the SQL condition, over forecasts f joined with
// model_versions mv, of the forecasts filter selects, and its arguments.
func forecastCondition(ctx context.Context, tx *dbTx, f ForecastFilter) (string, []any, error) {
	var where []string
	var args []any
	switch {
	case f.AllVersions && f.Model != nil && f.Model.Version == 0 && f.Model.Alias == "":
		where, args = append(where, `mv.name = ? AND `+finishedVersion("mv")), append(args, f.Model.Name)
	case f.AllVersions && f.Model == nil:
		where = append(where, finishedVersion("mv"))
	case f.Model != nil:
		id, _, err := findModelVersionID(ctx, tx, *f.Model)
		if err != nil {
			return "", nil, err
		}
		where, args = append(where, `mv.id = ?`), append(args, id)
	case f.RunID == 0 && !f.LatestRun && !f.LatestOrigin:
		where = append(where, `mv.id = (SELECT m.id FROM model_versions AS m WHERE m.name = mv.name AND `+finishedVersion("m")+` ORDER BY m.version DESC LIMIT 1)`)
	}
	if f.Series != "" {
		where, args = append(where, `f.series = ?`), append(args, f.Series)
	}
	if f.RunID != 0 {
		where, args = append(where, `f.run_id = ?`), append(args, f.RunID)
	}
	if !f.Since.IsZero() {
		where, args = append(where, `f.time >= ?`), append(args, formatTime(f.Since))
	}
	if f.LatestOrigin {
		where = append(where, `(mv.name, mv.version, f.series, f.run_id, f.step) IN (
			SELECT model, version, series, run_id, step FROM latest_origin_forecasts)`)
	}
	if f.LatestRun {
		cond := "1"
		if len(where) > 0 {
			cond = strings.Join(where, " AND ")
		}
		where = append(where, `f.run_id = (
			SELECT f.run_id FROM forecasts AS f
			JOIN model_versions AS mv ON mv.id = f.model_version_id
			JOIN runs AS r ON r.id = f.run_id
			WHERE `+cond+`
			ORDER BY julianday(r.started_at) DESC, f.run_id DESC LIMIT 1)`)
		args = append(args, args...)
	}
	cond := "1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	return cond, args, nil
}

// ForecastSeries returns the ids of the series that have stored forecasts,
// in order.
func (db *DB) ForecastSeries(ctx context.Context) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT DISTINCT series FROM forecasts ORDER BY series`)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, db.formatError(err)
		}
		ids = append(ids, id)
	}
	return ids, db.formatError(rows.Err())
}

// TrainedSource reports whether the run that trained mv stored a forecast
// of a series of source (stored as SOURCE/ID), and whether it stored any
// forecast at all (recorded): an imported version records none, and a
// batch or merge may have replaced some of its run's forecasts.
func (db *DB) TrainedSource(ctx context.Context, mv *ModelVersion, source string) (stored, recorded bool, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return false, false, db.formatError(err)
	}
	defer tx.Rollback()
	prefix := source + "/"
	err = tx.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM forecasts WHERE model_version_id = ?1 AND run_id = ?2 AND substr(series, 1, length(?3)) = ?3),
		EXISTS (SELECT 1 FROM forecasts WHERE model_version_id = ?1 AND run_id = ?2)`,
		mv.ID, mv.RunID, prefix).Scan(&stored, &recorded)
	return stored, recorded, db.formatError(err)
}

// checkForecasts rejects the forecasts that are not numbers a reader can
// use: NaN, which the database cannot hold, and ±Inf, which JSON cannot
// (and which no forecast means).
func checkForecasts(fcs []Forecast) error {
	for _, f := range fcs {
		if !isFinite(f.Value) {
			return fmt.Errorf("forecast of series %q for %s is %v, not a finite number", f.Series, forecastWhen(f), f.Value)
		}
		levels := map[float64]bool{}
		for _, iv := range f.Intervals {
			switch {
			case !(isFinite(iv.Lower) && isFinite(iv.Upper) && isFinite(iv.Level)):
				return fmt.Errorf("interval of series %q for %s is [%v, %v] at level %v, not finite", f.Series, forecastWhen(f), iv.Lower, iv.Upper, iv.Level)
			case !(iv.Level > 0 && iv.Level < 1):
				return fmt.Errorf("interval of series %q for %s has level %v, not between 0 and 1", f.Series, forecastWhen(f), iv.Level)
			case levels[iv.Level]:
				return fmt.Errorf("series %q for %s has two intervals of level %v", f.Series, forecastWhen(f), iv.Level)
			}
			levels[iv.Level] = true
		}
	}
	return nil
}

// forecastWhen names the target of f: its time, or its step without a time axis.
func forecastWhen(f Forecast) string {
	if f.Time.IsZero() {
		return fmt.Sprintf("step %d", f.Step)
	}
	return f.Time.Format(time.RFC3339)
}

// isFinite reports whether v is neither NaN nor ±Inf.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// createForecasts inserts the forecasts of a run made with a model version.
func createForecasts(ctx context.Context, tx *dbTx, runID, modelVersionID int64, fcs []Forecast) error {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO forecasts (run_id, model_version_id, series, origin, time, step, value, lower, upper, level, method, mase_scale)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	ivStmt, err := tx.PrepareContext(ctx, `INSERT INTO forecast_intervals (forecast_id, level, lower, upper) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ivStmt.Close()

	for _, f := range fcs {
		var lower, upper, level any
		if iv := widest(f.Intervals); iv != nil {
			lower, upper, level = iv.Lower, iv.Upper, iv.Level
		}
		res, err := stmt.ExecContext(ctx, runID, modelVersionID,
			f.Series, nullTime(f.Origin), nullTime(f.Time), f.Step, f.Value, lower, upper, level, nullString(f.Method), storedScale(f.MASEScale))
		if err != nil {
			return err
		}
		if len(f.Intervals) == 0 {
			continue
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for _, iv := range f.Intervals {
			if _, err := ivStmt.ExecContext(ctx, id, iv.Level, iv.Lower, iv.Upper); err != nil {
				return err
			}
		}
	}
	return nil
}

// storedScale is what forecasts.mase_scale keeps of a Forecast's
// MASEScale: 0 where it is undefined (NaN), NULL where it is not known.
func storedScale(scale float64) any {
	switch {
	case math.IsNaN(scale):
		return 0.0
	case scale > 0 && isFinite(scale):
		return scale
	}
	return nil
}

// StoredPrediction returns the run that stored the same forecasts as fcs,
// of one series from one origin, with the model version modelVersionID,
// if it is the newest run to forecast the series from that origin with a
// version of the model (so the one latest_forecasts shows); 0 if there is
// none such. The same means the same steps with the same times, values,
// methods, MASE scales and intervals: what predict makes again from data
// that has not changed since, which is not worth storing twice. Forecasts
// without times (no origin to tell data apart by) are never the same.
func (db *DB) StoredPrediction(ctx context.Context, modelVersionID int64, fcs []Forecast) (int64, error) {
	if len(fcs) == 0 || fcs[0].Origin.IsZero() {
		return 0, nil
	}
	series, origin := fcs[0].Series, fcs[0].Origin
	want := make(map[int]Forecast, len(fcs))
	for _, f := range fcs {
		if f.Series != series || !f.Origin.Equal(origin) {
			return 0, nil
		}
		want[f.Step] = f
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, db.formatError(err)
	}
	defer tx.Rollback()

	const where = `f.model_version_id = ? AND f.series = ? AND f.origin IS ?`
	args := []any{modelVersionID, series, nullTime(origin)}
	intervals := map[int64][]Interval{} // by forecast id, by increasing level
	ivRows, err := tx.QueryContext(ctx, `
		SELECT i.forecast_id, i.level, i.lower, i.upper
		FROM forecast_intervals AS i JOIN forecasts AS f ON f.id = i.forecast_id
		WHERE `+where+` ORDER BY i.forecast_id, i.level`, args...)
	if err != nil {
		return 0, db.formatError(err)
	}
	defer ivRows.Close()
	for ivRows.Next() {
		var id int64
		var iv Interval
		if err := ivRows.Scan(&id, &iv.Level, &iv.Lower, &iv.Upper); err != nil {
			return 0, db.formatError(err)
		}
		intervals[id] = append(intervals[id], iv)
	}
	if err := ivRows.Err(); err != nil {
		return 0, db.formatError(err)
	}

	rows, err := tx.QueryContext(ctx, `
		SELECT f.id, f.run_id, f.step, f.time, f.value, f.method, f.mase_scale
		FROM forecasts AS f WHERE `+where+` ORDER BY f.run_id, f.step`, args...)
	if err != nil {
		return 0, db.formatError(err)
	}
	defer rows.Close()
	same := map[int64]map[int]bool{} // by run id: its steps equal to fcs'
	differs := map[int64]bool{}
	for rows.Next() {
		var (
			id, runID int64
			row       Forecast
			at        sql.NullString
			method    sql.NullString
			scale     sql.NullFloat64
		)
		if err := rows.Scan(&id, &runID, &row.Step, &at, &row.Value, &method, &scale); err != nil {
			return 0, db.formatError(err)
		}
		f, ok := want[row.Step]
		if !ok || !sameStored(f, at, row.Value, method, scale, intervals[id]) {
			differs[runID] = true
			continue
		}
		if same[runID] == nil {
			same[runID] = map[int]bool{}
		}
		same[runID][row.Step] = true
	}
	if err := rows.Err(); err != nil {
		return 0, db.formatError(err)
	}
	// The newest run of the model's forecasts of the series from this
	// origin, as latest_forecasts orders them: after moving an alias back
	// to an older version, its forecasts are stored again to be the latest.
	var newest int64
	err = tx.QueryRowContext(ctx, `
		SELECT f.run_id FROM forecasts AS f
		JOIN model_versions AS mv ON mv.id = f.model_version_id
		JOIN runs AS r ON r.id = f.run_id
		WHERE mv.name = (SELECT name FROM model_versions WHERE id = ?) AND f.series = ? AND f.origin IS ?
		ORDER BY julianday(r.started_at) DESC, f.run_id DESC LIMIT 1`, modelVersionID, series, nullTime(origin)).Scan(&newest)
	if err == sql.ErrNoRows {
		return 0, nil
	} else if err != nil {
		return 0, db.formatError(err)
	}
	if len(same[newest]) != len(want) || differs[newest] {
		return 0, nil
	}
	return newest, nil
}

// sameStored says whether f is stored as a forecasts row's time, value,
// method and mase_scale, with the intervals stored for it (by increasing
// level).
func sameStored(f Forecast, at sql.NullString, value float64, method sql.NullString, scale sql.NullFloat64, stored []Interval) bool {
	if t, ok := nullTime(f.Time).(string); ok != at.Valid || t != at.String {
		return false
	}
	if value != f.Value || method.String != f.Method {
		return false
	}
	if s, ok := storedScale(f.MASEScale).(float64); ok != scale.Valid || s != scale.Float64 {
		return false
	}
	ivs := slices.Clone(f.Intervals)
	slices.SortFunc(ivs, func(a, b Interval) int { return cmp.Compare(a.Level, b.Level) })
	return slices.Equal(ivs, stored)
}

// findForecasts returns the forecasts matching where, a condition on
// forecasts f and model_versions mv with args for its placeholders.
func findForecasts(ctx context.Context, tx *dbTx, where string, args ...any) ([]ForecastRow, error) {
	intervals, err := findIntervals(ctx, tx, where, args...)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT f.id, f.run_id, mv.name, mv.version, f.series, f.origin, f.time, f.step, f.value, f.method
		FROM forecasts AS f
		JOIN model_versions AS mv ON mv.id = f.model_version_id
		WHERE `+where+`
		ORDER BY mv.name, mv.version, f.series, f.run_id, f.step`,
		args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out []ForecastRow
	for rows.Next() {
		var r ForecastRow
		var id int64
		var origin, target sql.NullString
		var method sql.NullString
		if err := rows.Scan(&id, &r.RunID, &r.Model, &r.Version, &r.Series, &origin, &target, &r.Step, &r.Value, &method); err != nil {
			return nil, err
		}
		if r.Origin, err = parseNullTime(origin); err != nil {
			return nil, fmt.Errorf("forecast of %q: origin: %w", r.Series, err)
		}
		if r.Time, err = parseNullTime(target); err != nil {
			return nil, fmt.Errorf("forecast of %q: time: %w", r.Series, err)
		}
		r.Intervals = intervals[id]
		r.Method = method.String
		out = append(out, r)
	}
	return out, rows.Err()
}

// findIntervals returns the intervals of the forecasts matching where (as
// for findForecasts) by forecast id, each by increasing level.
func findIntervals(ctx context.Context, tx *dbTx, where string, args ...any) (map[int64][]Interval, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT i.forecast_id, i.level, i.lower, i.upper
		FROM forecast_intervals AS i
		WHERE i.forecast_id IN (
			SELECT f.id FROM forecasts AS f
			JOIN model_versions AS mv ON mv.id = f.model_version_id
			WHERE `+where+`)
		ORDER BY i.forecast_id, i.level`,
		args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]Interval{}
	for rows.Next() {
		var id int64
		var iv Interval
		if err := rows.Scan(&id, &iv.Level, &iv.Lower, &iv.Upper); err != nil {
			return nil, err
		}
		out[id] = append(out[id], iv)
	}
	return out, rows.Err()
}

// nullTime encodes t for a nullable time column: NULL for the zero time,
// which stands for a series without a time axis.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// parseNullTime decodes a nullable time column; NULL gives the zero time.
func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}
