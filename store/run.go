package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Run is one recorded command that wrote to the database. The caller fills
// in Command, Args, ProgramVersion and StartedAt; the method that saves the
// run sets the rest.
type Run struct {
	ID             int64
	Command        string    // "fit", "predict", "actuals", ...
	Args           []string  // the command line without the program name
	ProgramVersion string    // forecast's version
	StartedAt      time.Time // when the command began; zero means when it is saved
	FinishedAt     time.Time
	Status         string // "ok" or "failed"
	Error          string // the error message of a failed run
	Wrote          Wrote  // what an ok run wrote
}

// Wrote counts what a run wrote. It is stored as JSON in runs.wrote, with
// the zero fields left out.
type Wrote struct {
	// ModelVersions names each new version NAME@VERSION; a merge labels
	// one deleted from its source before the merge "NAME@VERSION
	// (deleted from FILE before the merge)".
	ModelVersions   []string `json:"model_versions,omitempty"`
	Forecasts       int      `json:"forecasts,omitempty"`
	Actuals         int      `json:"actuals,omitempty"`          // actuals recorded, new or replacing a value
	ActualsReplaced int      `json:"actuals_replaced,omitempty"` // of those, the ones that replaced a value
	// ActualsUnchanged counts the actuals given that were recorded
	// already, the same: they keep the run that recorded them.
	ActualsUnchanged int `json:"actuals_unchanged,omitempty"`
	SeriesDone       int `json:"series_done,omitempty"`    // series a batch forecast
	SeriesFailed     int `json:"series_failed,omitempty"`  // series a batch failed to forecast
	SeriesSkipped    int `json:"series_skipped,omitempty"` // series a batch had forecast before from the same data
}

// FailRun records run as failed with cause's message, in a transaction of
// its own; nothing else is written. It sets run.ID, FinishedAt, Status and
// Error. Call it after the command's writes were rolled back; it runs even
// if ctx is cancelled, so that an interrupted command is recorded too.
func (db *DB) FailRun(ctx context.Context, run *Run, cause error) error {
	ctx = context.WithoutCancel(ctx)
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	failed := *run
	failed.Status, failed.Error, failed.Wrote = "failed", cause.Error(), Wrote{}
	if err := createRun(ctx, tx, &failed); err != nil {
		return db.formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.formatError(err)
	}
	*run = failed
	return nil
}

// ListRuns returns every run, oldest first.
func (db *DB) ListRuns(ctx context.Context) ([]*Run, error) {
	tx, err := db.beginRead(ctx)
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

// createRun inserts run, finishing now, and sets run.ID and FinishedAt.
// Status "" means "ok". A zero StartedAt means now.
func createRun(ctx context.Context, tx *dbTx, run *Run) error {
	if run.Command == "" {
		return errors.New("save run: command required")
	}
	started := run.StartedAt
	if started.IsZero() {
		started = tx.now
	}
	status := run.Status
	if status == "" {
		status = "ok"
	}
	args, err := json.Marshal(run.Args)
	if err != nil {
		return err
	}
	wrote, err := json.Marshal(run.Wrote)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO runs (command, started_at, finished_at, status, error, program_version, args, wrote)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		run.Command, formatTime(started), formatTime(tx.now), status, nullString(run.Error),
		nullString(run.ProgramVersion), string(args), string(wrote))
	if err != nil {
		return err
	}
	if run.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	run.StartedAt, run.FinishedAt, run.Status = started.UTC(), tx.now, status
	return nil
}

// updateWrote stores what run wrote, once its rows are in.
func updateWrote(ctx context.Context, tx *dbTx, run *Run) error {
	wrote, err := json.Marshal(run.Wrote)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE runs SET wrote = ? WHERE id = ?`, string(wrote), run.ID)
	return err
}

func listRuns(ctx context.Context, tx *dbTx) ([]*Run, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+runColumns+` FROM runs ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return scanRuns(rows)
}

// runColumns are the columns scanRuns reads, in its order.
const runColumns = `id, command, started_at, coalesce(finished_at, ''), status, coalesce(error, ''),
	coalesce(program_version, ''), args, wrote`

// scanRuns reads the runs of rows, which select runColumns, and closes
// them.
func scanRuns(rows *sql.Rows) ([]*Run, error) {
	defer rows.Close()
	var runs []*Run
	for rows.Next() {
		var r Run
		var started, finished string
		var args, wrote sql.NullString
		if err := rows.Scan(&r.ID, &r.Command, &started, &finished, &r.Status, &r.Error,
			&r.ProgramVersion, &args, &wrote); err != nil {
			return nil, err
		}
		var err error
		if r.StartedAt, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("run %d: started_at: %w", r.ID, err)
		}
		if finished != "" {
			if r.FinishedAt, err = parseTime(finished); err != nil {
				return nil, fmt.Errorf("run %d: finished_at: %w", r.ID, err)
			}
		}
		// Runs of schema 0001 have neither.
		if args.Valid {
			if err := json.Unmarshal([]byte(args.String), &r.Args); err != nil {
				return nil, fmt.Errorf("run %d: args: %w", r.ID, err)
			}
		}
		if wrote.Valid {
			if err := json.Unmarshal([]byte(wrote.String), &r.Wrote); err != nil {
				return nil, fmt.Errorf("run %d: wrote: %w", r.ID, err)
			}
		}
		runs = append(runs, &r)
	}
	return runs, rows.Err()
}

// nullString encodes s for a nullable text column: NULL for "".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
