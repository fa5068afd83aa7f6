package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

// ModelVersion is one trained model in the registry.
type ModelVersion struct {
	ID        int64
	Name      string
	Version   int       // assigned by SaveFit: 1 + the newest version of Name
	CreatedAt time.Time // assigned by SaveFit
	Params    string    // hyper-parameters, JSON
	Scaler    string    // input scaler, JSON
	Metrics   string    // test metrics of the model and the baselines, JSON

	DataSource      string // where the training data came from, e.g. a file path
	DataFingerprint string // sha256 (hex) of the training data
	DataRows        int

	Weights []byte // network weights, opaque to the store
	Export  string // the forecast-gru-json/1 export document
}

// Run is one recorded command.
type Run struct {
	ID                    int64
	Command               string // "fit", ...
	StartedAt, FinishedAt time.Time
	Status                string // "ok" or "failed"
	Error                 string // the error message of a failed run
}

// SaveFit records a fit: a run, the new model version and its forecasts, in
// one transaction; on error nothing is written and mv is unchanged. started
// is when the command began (zero: now). It sets
// mv.ID, mv.Version and mv.CreatedAt and returns the run's ID.
func (db *DB) SaveFit(ctx context.Context, started time.Time, mv *ModelVersion, fcs []Forecast) (runID int64, err error) {
	if mv.Name == "" {
		return 0, errors.New("save model: name required")
	} else if mv.Weights == nil {
		return 0, fmt.Errorf("save model %q: weights required", mv.Name)
	}
	for _, f := range fcs {
		if math.IsNaN(f.Value) {
			return 0, fmt.Errorf("save model %q: forecast of series %q for %s is NaN", mv.Name, f.Series, f.Time.Format(time.RFC3339))
		}
	}

	tx, err := db.begin(ctx)
	if err != nil {
		return 0, db.formatError(err)
	}
	defer tx.Rollback()

	runID, err = createRun(ctx, tx, "fit", started)
	if err != nil {
		return 0, db.formatError(err)
	}
	id, version, err := createModelVersion(ctx, tx, mv, runID)
	if err != nil {
		return 0, db.formatError(err)
	}
	if err := createForecasts(ctx, tx, runID, id, fcs); err != nil {
		return 0, db.formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return 0, db.formatError(err)
	}
	mv.ID, mv.Version, mv.CreatedAt = id, version, tx.now
	return runID, nil
}

// FindModelVersion returns a model version with its weights and export;
// version 0 means the newest. It returns an error wrapping ErrNotFound if
// there is no such version.
func (db *DB) FindModelVersion(ctx context.Context, name string, version int) (*ModelVersion, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()

	mv, err := findModelVersion(ctx, tx, name, version)
	if err != nil {
		return nil, db.formatError(err)
	}
	return mv, db.formatError(tx.Commit())
}

// ListModelVersions returns every model version ordered by name and version,
// without Weights and Export.
func (db *DB) ListModelVersions(ctx context.Context) ([]*ModelVersion, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()

	mvs, err := listModelVersions(ctx, tx)
	if err != nil {
		return nil, db.formatError(err)
	}
	return mvs, db.formatError(tx.Commit())
}

// ListRuns returns every run, oldest first.
func (db *DB) ListRuns(ctx context.Context) ([]*Run, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()

	runs, err := listRuns(ctx, tx)
	if err != nil {
		return nil, db.formatError(err)
	}
	return runs, db.formatError(tx.Commit())
}

// createRun records a successful run of command that starts and ends now.
func createRun(ctx context.Context, tx *dbTx, command string, started time.Time) (int64, error) {
	if started.IsZero() {
		started = tx.now
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO runs (command, started_at, finished_at, status)
		VALUES (?, ?, ?, 'ok')`,
		command, formatTime(started), formatTime(tx.now))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func listRuns(ctx context.Context, tx *dbTx) ([]*Run, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT id, command, started_at, coalesce(finished_at, ''), status, coalesce(error, '')
		FROM runs
		ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var runs []*Run
	for rows.Next() {
		var r Run
		var started, finished string
		if err := rows.Scan(&r.ID, &r.Command, &started, &finished, &r.Status, &r.Error); err != nil {
			return nil, err
		}
		if r.StartedAt, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("run %d: started_at: %w", r.ID, err)
		}
		if finished != "" {
			if r.FinishedAt, err = parseTime(finished); err != nil {
				return nil, fmt.Errorf("run %d: finished_at: %w", r.ID, err)
			}
		}
		runs = append(runs, &r)
	}
	return runs, rows.Err()
}

// createModelVersion inserts mv as the next version of its name and returns
// the new row's ID and version.
func createModelVersion(ctx context.Context, tx *dbTx, mv *ModelVersion, runID int64) (id int64, version int, err error) {
	if err := tx.QueryRowContext(ctx, `
		SELECT coalesce(max(version), 0) + 1 FROM model_versions WHERE name = ?`,
		mv.Name).Scan(&version); err != nil {
		return 0, 0, err
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO model_versions (
			name, version, created_at, params, scaler, metrics,
			data_source, data_fingerprint, data_rows, weights, export, run_id
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		mv.Name, version, formatTime(tx.now), mv.Params, mv.Scaler, mv.Metrics,
		mv.DataSource, mv.DataFingerprint, mv.DataRows, mv.Weights, mv.Export, runID)
	if err != nil {
		return 0, 0, err
	}
	id, err = res.LastInsertId()
	return id, version, err
}

// findModelVersionID returns the row ID of a model version; version 0 means
// the newest.
func findModelVersionID(ctx context.Context, tx *dbTx, name string, version int) (int64, error) {
	var id int64
	var err error
	if version == 0 {
		err = tx.QueryRowContext(ctx, `
			SELECT id FROM model_versions WHERE name = ?
			ORDER BY version DESC LIMIT 1`,
			name).Scan(&id)
	} else {
		err = tx.QueryRowContext(ctx, `
			SELECT id FROM model_versions WHERE name = ? AND version = ?`,
			name, version).Scan(&id)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows) && version == 0:
		return 0, errorf(ErrNotFound, "model %q not found", name)
	case errors.Is(err, sql.ErrNoRows):
		return 0, errorf(ErrNotFound, "model %q has no version %d", name, version)
	}
	return id, err
}

// modelColumns are the model_versions columns scanned by scanModelVersion.
const modelColumns = `id, name, version, created_at, params, scaler, metrics,
	data_source, data_fingerprint, data_rows`

// scanModelVersion scans modelColumns, then the columns for extra.
func scanModelVersion(row interface{ Scan(...any) error }, extra ...any) (*ModelVersion, error) {
	var mv ModelVersion
	var created string
	dest := append([]any{&mv.ID, &mv.Name, &mv.Version, &created, &mv.Params, &mv.Scaler, &mv.Metrics,
		&mv.DataSource, &mv.DataFingerprint, &mv.DataRows}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if mv.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("model %q version %d: created_at: %w", mv.Name, mv.Version, err)
	}
	return &mv, nil
}

// findModelVersion returns a model version with its weights and export;
// version 0 means the newest.
func findModelVersion(ctx context.Context, tx *dbTx, name string, version int) (*ModelVersion, error) {
	id, err := findModelVersionID(ctx, tx, name, version)
	if err != nil {
		return nil, err
	}
	var weights []byte
	var export string
	mv, err := scanModelVersion(tx.QueryRowContext(ctx, `
		SELECT `+modelColumns+`, weights, export
		FROM model_versions WHERE id = ?`, id),
		&weights, &export)
	if err != nil {
		return nil, err
	}
	mv.Weights, mv.Export = weights, export
	return mv, nil
}

// listModelVersions returns every model version without weights and export.
func listModelVersions(ctx context.Context, tx *dbTx) ([]*ModelVersion, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT `+modelColumns+`
		FROM model_versions
		ORDER BY name, version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var mvs []*ModelVersion
	for rows.Next() {
		mv, err := scanModelVersion(rows)
		if err != nil {
			return nil, err
		}
		mvs = append(mvs, mv)
	}
	return mvs, rows.Err()
}
