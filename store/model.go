package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ModelVersion is one trained model in the registry.
type ModelVersion struct {
	ID        int64
	Name      string
	Version   int       // assigned by SaveFit: 1 + the newest version of Name
	CreatedAt time.Time // assigned by SaveFit
	RunID     int64     // the run that trained it; assigned by SaveFit
	Params    string    // hyper-parameters, JSON
	Scaler    string    // input scaler, JSON
	Metrics   string    // test metrics of the model and the baselines, training curves, JSON
	Seed      uint64
	MASEScale float64 // the denominator of MASE, from the training data; 0 if unknown

	// Lineage of the training data.
	DataSource         string    // where it came from, e.g. a file path
	DataSeries         string    // the series' name, as its forecasts are stored
	DataStart, DataEnd time.Time // first and last time; zero without a time column
	DataFreq           string    // the step between times, e.g. "daily"
	DataFingerprint    string    // sha256 (hex) of the training data
	DataRows           int

	ProgramVersion string        // forecast's version that trained it
	Duration       time.Duration // wall time of the training
	ParentID       int64         // the version it was refitted from; 0 if none

	// Read by the Find and List methods, ignored by SaveFit.
	Parent    string            // NAME@VERSION of ParentID
	Aliases   []string          // sorted
	Tags      map[string]string // nil if none
	Forecasts int               // stored forecasts made with this version
	// Unfinished marks a version whose batch has not finished (running, or
	// killed): not its model's newest (see ParseModelRef).
	Unfinished bool

	Weights []byte // network weights, opaque to the store
	Export  string // the forecast-gru-json/1 export document
}

// Ref returns NAME@VERSION of mv.
func (mv *ModelVersion) Ref() string { return fmt.Sprintf("%s@%d", mv.Name, mv.Version) }

// ModelRef names a model version: the newest version of Name, Name@Version
// or Name@Alias.
type ModelRef struct {
	Name    string
	Version int    // 0: by Alias, or the newest version
	Alias   string // used if Version is 0
	// Latest marks NAME@latest: the newest version, also where a name
	// alone means every version of it (FindAccuracy, FindSeriesForecast).
	Latest bool
}

// String returns the reference as people write it: NAME, NAME@3 or
// NAME@champion.
func (r ModelRef) String() string {
	switch {
	case r.Version != 0:
		return fmt.Sprintf("%s@%d", r.Name, r.Version)
	case r.Alias != "":
		return r.Name + "@" + r.Alias
	case r.Latest:
		return r.Name + "@latest"
	}
	return r.Name
}

// ParseModelRef reads a model reference as people write it: NAME (the
// newest version, but one of a batch that has not finished), NAME@VERSION,
// NAME@ALIAS or NAME@latest (NAME).
func ParseModelRef(s string) (ModelRef, error) {
	name, after, found := strings.Cut(s, "@")
	switch {
	case name == "":
		return ModelRef{}, fmt.Errorf("%q: the name is empty (want NAME, NAME@VERSION or NAME@ALIAS)", s)
	case !found:
		return ModelRef{Name: name}, nil
	case after == "latest":
		return ModelRef{Name: name, Latest: true}, nil
	case after == "" || after[0] >= '0' && after[0] <= '9':
		v, err := strconv.Atoi(after)
		if err != nil || v < 1 {
			return ModelRef{}, fmt.Errorf("%q: the version after @ must be a number from 1 up", s)
		}
		return ModelRef{Name: name, Version: v}, nil
	}
	if err := CheckAlias(after); err != nil {
		return ModelRef{}, fmt.Errorf("%q: %w", s, err)
	}
	return ModelRef{Name: name, Alias: after}, nil
}

// CheckAlias reports why alias cannot name a version, or nil if it can: an
// alias starts with an ASCII letter, goes on with ASCII letters, digits,
// '_', '-' or '.', and is not "latest", which always means the newest
// version.
func CheckAlias(alias string) error {
	if alias == "" {
		return errors.New("an alias must not be empty")
	}
	if alias == "latest" {
		return errors.New(`the alias "latest" is reserved: NAME@latest is always the newest version`)
	}
	for i, r := range alias {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if i == 0 && !letter {
			return fmt.Errorf("alias %q must start with a letter a-z or A-Z", alias)
		}
		if !letter && !(r >= '0' && r <= '9') && !strings.ContainsRune("_-.", r) {
			return fmt.Errorf("alias %q may hold only letters a-z and A-Z, digits, '_', '-' and '.'", alias)
		}
	}
	return nil
}

// CheckModelName returns an error unless name can name a model: not
// blank, without '@' (which separates a version or alias from the name),
// '/' (which separates the segments of the API's paths) or control
// characters, and without spaces at its ends.
func CheckModelName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("a name must not be empty")
	case strings.TrimSpace(name) != name:
		return errors.New("a name must not start or end with a space")
	case strings.Contains(name, "@"):
		return errors.New("a name must not hold '@'")
	case strings.Contains(name, "/"):
		return errors.New("a name must not hold '/'")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return errors.New("a name must not hold control characters")
	case len(name) > maxModelName:
		return fmt.Errorf("a name must not be longer than %d bytes, got %d", maxModelName, len(name))
	}
	return nil
}

// maxModelName bounds the length of a model name, which every table and
// plot title prints.
const maxModelName = 1024

// SaveFit records a fit in one transaction: run, the new model version and
// its forecasts. On error nothing is written and run and mv are unchanged.
// It sets run's ID, FinishedAt, Status and Wrote, and mv's ID, Version,
// CreatedAt and RunID. mv.ParentID, if set, must name a stored version.
func (db *DB) SaveFit(ctx context.Context, run *Run, mv *ModelVersion, fcs []Forecast) error {
	if err := CheckModelName(mv.Name); err != nil {
		return fmt.Errorf("save model %q: %w", mv.Name, err)
	} else if mv.Weights == nil {
		return fmt.Errorf("save model %q: weights required", mv.Name)
	}
	if err := checkForecasts(fcs); err != nil {
		return fmt.Errorf("save model %q: %w", mv.Name, err)
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
	id, version, err := createModelVersion(ctx, tx, mv, r.ID)
	if err != nil {
		return db.formatError(err)
	}
	if err := createForecasts(ctx, tx, r.ID, id, fcs); err != nil {
		return db.formatError(err)
	}
	r.Wrote = Wrote{ModelVersions: []string{fmt.Sprintf("%s@%d", mv.Name, version)}, Forecasts: len(fcs)}
	if err := updateWrote(ctx, tx, &r); err != nil {
		return db.formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.formatError(err)
	}
	*run = r
	mv.ID, mv.Version, mv.CreatedAt, mv.RunID = id, version, tx.now, r.ID
	return nil
}

// FindModelVersion returns a model version with its weights and export. It
// returns an error wrapping ErrNotFound if ref names no version.
func (db *DB) FindModelVersion(ctx context.Context, ref ModelRef) (*ModelVersion, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()

	mv, err := findModelVersion(ctx, tx, ref)
	if err != nil {
		return nil, db.formatError(err)
	}
	return mv, db.formatError(tx.Commit())
}

// ListModelVersions returns the versions of the model called name ("":
// every model) ordered by name and version, without Weights and Export. A
// name with no versions gives an error wrapping ErrNotFound.
func (db *DB) ListModelVersions(ctx context.Context, name string) ([]*ModelVersion, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()

	mvs, err := listModelVersions(ctx, tx, name)
	if err != nil {
		return nil, db.formatError(err)
	}
	if name != "" && len(mvs) == 0 {
		return nil, errorf(ErrNotFound, "model %q not found", name)
	}
	return mvs, db.formatError(tx.Commit())
}

// SetAlias points alias of ref's model at the version ref names, moving it
// if it named another version, and returns the version it named before (0:
// none). An alias that fails CheckAlias is an error.
func (db *DB) SetAlias(ctx context.Context, ref ModelRef, alias string) (previous int, err error) {
	if err := CheckAlias(alias); err != nil {
		return 0, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, db.formatError(err)
	}
	defer tx.Rollback()

	id, _, err := findModelVersionID(ctx, tx, ref)
	if err != nil {
		return 0, db.formatError(err)
	}
	err = tx.QueryRowContext(ctx, `
		SELECT mv.version FROM model_aliases AS a
		JOIN model_versions AS mv ON mv.id = a.model_version_id
		WHERE a.name = ? AND a.alias = ?`, ref.Name, alias).Scan(&previous)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, db.formatError(err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO model_aliases (name, alias, model_version_id, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name, alias) DO UPDATE SET
			model_version_id = excluded.model_version_id, updated_at = excluded.updated_at`,
		ref.Name, alias, id, formatTime(tx.now)); err != nil {
		return 0, db.formatError(err)
	}
	return previous, db.formatError(tx.Commit())
}

// DeleteAlias removes alias from the model called name and returns the
// version it named. It returns an error wrapping ErrNotFound if there is
// no such alias.
func (db *DB) DeleteAlias(ctx context.Context, name, alias string) (version int, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, db.formatError(err)
	}
	defer tx.Rollback()

	_, version, err = findModelVersionID(ctx, tx, ModelRef{Name: name, Alias: alias})
	if err != nil {
		return 0, db.formatError(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM model_aliases WHERE name = ? AND alias = ?`, name, alias); err != nil {
		return 0, db.formatError(err)
	}
	return version, db.formatError(tx.Commit())
}

// SetTags sets the tags in set on the version ref names, replacing their
// values, and removes the tags named in remove. Removing a tag the version
// does not have gives an error wrapping ErrNotFound, and nothing changes.
func (db *DB) SetTags(ctx context.Context, ref ModelRef, set map[string]string, remove []string) error {
	for k := range set {
		if k == "" {
			return errors.New("a tag key must not be empty")
		}
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	id, version, err := findModelVersionID(ctx, tx, ref)
	if err != nil {
		return db.formatError(err)
	}
	for _, k := range remove {
		res, err := tx.ExecContext(ctx, `DELETE FROM model_tags WHERE model_version_id = ? AND key = ?`, id, k)
		if err != nil {
			return db.formatError(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return db.formatError(err)
		} else if n == 0 {
			return errorf(ErrNotFound, "model %s@%d has no tag %q", ref.Name, version, k)
		}
	}
	for k, v := range set {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO model_tags (model_version_id, key, value) VALUES (?, ?, ?)
			ON CONFLICT (model_version_id, key) DO UPDATE SET value = excluded.value`,
			id, k, v); err != nil {
			return db.formatError(err)
		}
	}
	return db.formatError(tx.Commit())
}

// DeleteModelVersion deletes the version ref names with its tags and returns
// how many forecasts went with it. It refuses, with an error wrapping
// ErrConflict, a version that an alias names, and one that has forecasts
// unless cascade is set, in which case they are deleted too, and the
// batch series they were become 'replaced', so that a batch forecasts
// them again. Versions
// refitted from it keep their lineage only as far as it: their ParentID
// becomes 0. Runs are kept.
func (db *DB) DeleteModelVersion(ctx context.Context, ref ModelRef, cascade bool) (forecasts int, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, db.formatError(err)
	}
	defer tx.Rollback()

	id, version, err := findModelVersionID(ctx, tx, ref)
	if err != nil {
		return 0, db.formatError(err)
	}
	aliases, err := findAliases(ctx, tx, id)
	if err != nil {
		return 0, db.formatError(err)
	}
	if vs := aliases[id]; len(vs) > 0 {
		return 0, errorf(ErrConflict, "model %s@%d is aliased as %s: move or remove the alias first",
			ref.Name, version, strings.Join(vs, ", "))
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM forecasts WHERE model_version_id = ?`, id).Scan(&forecasts); err != nil {
		return 0, db.formatError(err)
	}
	if forecasts > 0 && !cascade {
		return 0, errorf(ErrConflict, "model %s@%d has %d stored forecasts: delete them with it (cascade) or keep it",
			ref.Name, version, forecasts)
	}
	// The batch series whose forecasts go are no longer done: a batch run
	// again forecasts them anew rather than skipping them.
	if _, err := tx.ExecContext(ctx, `
		UPDATE batch_series SET status = 'replaced', forecasts = 0, error = ?
		WHERE status = 'done' AND model = ? AND (run_id, series) IN (
			SELECT DISTINCT run_id, series FROM forecasts WHERE model_version_id = ?)`,
		fmt.Sprintf("its forecasts were deleted with %s@%d", ref.Name, version), ref.Name, id); err != nil {
		return 0, db.formatError(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM forecasts WHERE model_version_id = ?`, id); err != nil {
		return 0, db.formatError(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM model_versions WHERE id = ?`, id); err != nil {
		return 0, db.formatError(err)
	}
	return forecasts, db.formatError(tx.Commit())
}

// createModelVersion inserts mv as the next version of its name and returns
// the new row's ID and version.
func createModelVersion(ctx context.Context, tx *dbTx, mv *ModelVersion, runID int64) (id int64, version int, err error) {
	// The next number the name has not had, even for a version deleted
	// since (model_names, kept by a trigger).
	if err := tx.QueryRowContext(ctx, `
		SELECT coalesce((SELECT last_version FROM model_names WHERE name = ?), 0) + 1`,
		mv.Name).Scan(&version); err != nil {
		return 0, 0, err
	}
	var parent any
	if mv.ParentID != 0 {
		parent = mv.ParentID
	}
	var maseScale any
	if mv.MASEScale != 0 {
		maseScale = mv.MASEScale
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO model_versions (
			id, name, version, created_at, params, scaler, metrics,
			data_source, data_fingerprint, data_rows, weights, export, run_id,
			seed, data_series, data_start, data_end, data_freq, mase_scale,
			program_version, duration_seconds, parent_id
		) VALUES ((SELECT last_id + 1 FROM model_version_ids), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		mv.Name, version, formatTime(tx.now), mv.Params, mv.Scaler, mv.Metrics,
		mv.DataSource, mv.DataFingerprint, mv.DataRows, mv.Weights, mv.Export, runID,
		int64(mv.Seed), nullString(mv.DataSeries), nullTime(mv.DataStart), nullTime(mv.DataEnd),
		nullString(mv.DataFreq), maseScale, nullString(mv.ProgramVersion), mv.Duration.Seconds(), parent)
	if err != nil {
		if mv.ParentID != 0 && isForeignKeyError(err) {
			return 0, 0, errorf(ErrNotFound, "model %q: parent version (id %d) not found", mv.Name, mv.ParentID)
		}
		return 0, 0, err
	}
	id, err = res.LastInsertId()
	return id, version, err
}

// findModelVersionID returns the row ID and version number of the model
// version ref names.
func findModelVersionID(ctx context.Context, tx *dbTx, ref ModelRef) (id int64, version int, err error) {
	switch {
	case ref.Version != 0:
		err = tx.QueryRowContext(ctx, `
			SELECT id, version FROM model_versions WHERE name = ? AND version = ?`,
			ref.Name, ref.Version).Scan(&id, &version)
	case ref.Alias != "":
		err = tx.QueryRowContext(ctx, `
			SELECT mv.id, mv.version FROM model_aliases AS a
			JOIN model_versions AS mv ON mv.id = a.model_version_id
			WHERE a.name = ? AND a.alias = ?`,
			ref.Name, ref.Alias).Scan(&id, &version)
	default:
		// The newest version but one a batch stored and has not finished
		// forecasting with (still running, or killed): not yet, or never,
		// complete.
		err = tx.QueryRowContext(ctx, `
			SELECT mv.id, mv.version FROM model_versions AS mv
			WHERE mv.name = ? AND `+finishedVersion("mv")+`
			ORDER BY mv.version DESC LIMIT 1`,
			ref.Name).Scan(&id, &version)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return id, version, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM model_versions WHERE name = ?`, ref.Name).Scan(&n); err != nil {
		return 0, 0, err
	}
	switch {
	case n == 0:
		return 0, 0, errorf(ErrNotFound, "model %q not found", ref.Name)
	case ref.Version != 0:
		return 0, 0, errorf(ErrNotFound, "model %q has no version %d", ref.Name, ref.Version)
	case ref.Alias == "":
		var newest, runID int64
		if err := tx.QueryRowContext(ctx, `
			SELECT version, run_id FROM model_versions WHERE name = ? ORDER BY version DESC LIMIT 1`, ref.Name).Scan(&newest, &runID); err != nil {
			return 0, 0, err
		}
		return 0, 0, errorf(ErrNotFound, "model %q has only versions of batches that did not finish (%s@%d of run %d, running or killed): name one as %s@VERSION to use it",
			ref.Name, ref.Name, newest, runID, ref.Name)
	}
	return 0, 0, errorf(ErrNotFound, "model %q has no alias %q", ref.Name, ref.Alias)
}

// modelColumns are the model_versions columns, of table mv, that
// scanModelVersion reads.
var modelColumns = `mv.id, mv.name, mv.version, mv.created_at, coalesce(mv.run_id, 0),
	coalesce(mv.params, ''), coalesce(mv.scaler, ''), coalesce(mv.metrics, ''),
	coalesce(mv.seed, 0), coalesce(mv.mase_scale, 0),
	coalesce(mv.data_source, ''), coalesce(mv.data_series, ''), mv.data_start, mv.data_end,
	coalesce(mv.data_freq, ''), coalesce(mv.data_fingerprint, ''), coalesce(mv.data_rows, 0),
	coalesce(mv.program_version, ''), coalesce(mv.duration_seconds, 0), coalesce(mv.parent_id, 0),
	coalesce((SELECT p.name || '@' || p.version FROM model_versions AS p WHERE p.id = mv.parent_id), ''),
	(SELECT count(*) FROM forecasts AS f WHERE f.model_version_id = mv.id),
	NOT (` + finishedVersion("mv") + `)`

// finishedVersion is the SQL condition that the model_versions row named
// alias is not of a batch that has not finished (running, or killed): such
// a version is not its model's newest until the batch ends.
func finishedVersion(alias string) string {
	return `NOT coalesce((SELECT r.command = 'batch' AND r.finished_at IS NULL FROM runs AS r WHERE r.id = ` + alias + `.run_id), 0)`
}

// scanModelVersion scans modelColumns, then the columns for extra.
func scanModelVersion(row interface{ Scan(...any) error }, extra ...any) (*ModelVersion, error) {
	var mv ModelVersion
	var created string
	var start, end sql.NullString
	var seed int64
	var seconds float64
	dest := append([]any{&mv.ID, &mv.Name, &mv.Version, &created, &mv.RunID,
		&mv.Params, &mv.Scaler, &mv.Metrics, &seed, &mv.MASEScale,
		&mv.DataSource, &mv.DataSeries, &start, &end,
		&mv.DataFreq, &mv.DataFingerprint, &mv.DataRows,
		&mv.ProgramVersion, &seconds, &mv.ParentID, &mv.Parent, &mv.Forecasts, &mv.Unfinished}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	mv.Seed = uint64(seed)
	mv.Duration = time.Duration(math.Round(seconds * float64(time.Second)))
	var err error
	if mv.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("model %q version %d: created_at: %w", mv.Name, mv.Version, err)
	}
	if mv.DataStart, err = parseNullTime(start); err != nil {
		return nil, fmt.Errorf("model %q version %d: data_start: %w", mv.Name, mv.Version, err)
	}
	if mv.DataEnd, err = parseNullTime(end); err != nil {
		return nil, fmt.Errorf("model %q version %d: data_end: %w", mv.Name, mv.Version, err)
	}
	return &mv, nil
}

// findModelVersion returns the model version ref names with its weights,
// export, aliases and tags.
func findModelVersion(ctx context.Context, tx *dbTx, ref ModelRef) (*ModelVersion, error) {
	id, _, err := findModelVersionID(ctx, tx, ref)
	if err != nil {
		return nil, err
	}
	var weights []byte
	var export sql.NullString
	mv, err := scanModelVersion(tx.QueryRowContext(ctx, `
		SELECT `+modelColumns+`, mv.weights, mv.export
		FROM model_versions AS mv WHERE mv.id = ?`, id),
		&weights, &export)
	if err != nil {
		return nil, err
	}
	mv.Weights, mv.Export = weights, export.String
	if err := addLabels(ctx, tx, []*ModelVersion{mv}, id); err != nil {
		return nil, err
	}
	return mv, nil
}

// listModelVersions returns the versions of name ("": all) without weights
// and export.
func listModelVersions(ctx context.Context, tx *dbTx, name string) ([]*ModelVersion, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT `+modelColumns+`
		FROM model_versions AS mv
		WHERE ? = '' OR mv.name = ?
		ORDER BY mv.name, mv.version`, name, name)
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return mvs, addLabels(ctx, tx, mvs, 0)
}

// addLabels fills in the aliases and tags of mvs, which are all versions if
// id is 0 and else the version with that id.
func addLabels(ctx context.Context, tx *dbTx, mvs []*ModelVersion, id int64) error {
	aliases, err := findAliases(ctx, tx, id)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT model_version_id, key, value FROM model_tags
		WHERE ? = 0 OR model_version_id = ?`, id, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	tags := map[int64]map[string]string{}
	for rows.Next() {
		var mvID int64
		var k, v string
		if err := rows.Scan(&mvID, &k, &v); err != nil {
			return err
		}
		if tags[mvID] == nil {
			tags[mvID] = map[string]string{}
		}
		tags[mvID][k] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, mv := range mvs {
		mv.Aliases, mv.Tags = aliases[mv.ID], tags[mv.ID]
	}
	return nil
}

// findAliases returns the sorted aliases of each version, of every version if
// id is 0 and else of the version with that id.
func findAliases(ctx context.Context, tx *dbTx, id int64) (map[int64][]string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT model_version_id, alias FROM model_aliases
		WHERE ? = 0 OR model_version_id = ?
		ORDER BY alias`, id, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	aliases := map[int64][]string{}
	for rows.Next() {
		var mvID int64
		var alias string
		if err := rows.Scan(&mvID, &alias); err != nil {
			return nil, err
		}
		aliases[mvID] = append(aliases[mvID], alias)
	}
	return aliases, rows.Err()
}
