package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Forecast is one forecast value for SaveFit.
type Forecast struct {
	Series string
	Origin time.Time // the last observed time
	Time   time.Time // the target time
	Step   int       // 1 for the first time after Origin, up to the horizon
	Value  float64
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
}

// FindForecasts returns the forecasts of a model version, ordered by model,
// version, series, target time and run. Name "" means every model; version 0
// means the newest version of each model. A named model that does not exist,
// or lacks the version, gives an error wrapping ErrNotFound.
func (db *DB) FindForecasts(ctx context.Context, name string, version int) ([]ForecastRow, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()

	var where string
	var args []any
	switch {
	case name != "":
		id, err := findModelVersionID(ctx, tx, name, version)
		if err != nil {
			return nil, db.formatError(err)
		}
		where, args = `mv.id = ?`, []any{id}
	case version != 0:
		where, args = `mv.version = ?`, []any{version}
	default:
		where = `mv.version = (SELECT max(version) FROM model_versions AS m WHERE m.name = mv.name)`
	}
	rows, err := findForecasts(ctx, tx, where, args...)
	if err != nil {
		return nil, db.formatError(err)
	}
	return rows, db.formatError(tx.Commit())
}

// createForecasts inserts the forecasts of a run made with a model version.
func createForecasts(ctx context.Context, tx *dbTx, runID, modelVersionID int64, fcs []Forecast) error {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO forecasts (run_id, model_version_id, series, origin, time, step, value)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()

	for _, f := range fcs {
		if _, err := stmt.ExecContext(ctx, runID, modelVersionID,
			f.Series, nullTime(f.Origin), nullTime(f.Time), f.Step, f.Value); err != nil {
			return err
		}
	}
	return nil
}

// findForecasts returns the forecasts matching where, a condition on
// forecasts f and model_versions mv with args for its placeholders.
func findForecasts(ctx context.Context, tx *dbTx, where string, args ...any) ([]ForecastRow, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT f.run_id, mv.name, mv.version, f.series, f.origin, f.time, f.step, f.value
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
		var origin, target sql.NullString
		if err := rows.Scan(&r.RunID, &r.Model, &r.Version, &r.Series, &origin, &target, &r.Step, &r.Value); err != nil {
			return nil, err
		}
		if r.Origin, err = parseNullTime(origin); err != nil {
			return nil, fmt.Errorf("forecast of %q: origin: %w", r.Series, err)
		}
		if r.Time, err = parseNullTime(target); err != nil {
			return nil, fmt.Errorf("forecast of %q: time: %w", r.Series, err)
		}
		out = append(out, r)
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
