package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

func TestDB_Merge(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		// Shards a and b share a model version and each forecast series of
		// their own; both also forecast "x" from the same cut-off, b later.
		a := MustOpenDBPath(t, filepath.Join(dir, "a.db"))
		run, mv := mustStartBatch(t, a)
		if err := a.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{
			seriesDone("a1", "#10", mv.ID, 3, false), seriesDone("x", "#10", mv.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		if err := a.FinishBatch(ctx, run, nil); err != nil {
			t.Fatal(err)
		}
		// Every forecast has an interval that names it: value ± 1.
		const withIntervals = `INSERT OR IGNORE INTO forecast_intervals (forecast_id, level, lower, upper)
			SELECT id, 0.8, value - 1, value + 1 FROM forecasts`
		if _, err := a.SQL().Exec(withIntervals); err != nil {
			t.Fatal(err)
		}
		// b's run starts 70 ms after a's, in the same second: as text
		// ".27Z" sorts before ".2Z", and a's forecasts of x were kept.
		if _, err := a.SQL().Exec(`UPDATE runs SET started_at = '2024-03-01T12:00:05.2Z'`); err != nil {
			t.Fatal(err)
		}
		MustCloseDB(t, a)
		copyFile(t, filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"))
		b := MustOpenDBPath(t, filepath.Join(dir, "b.db"))
		if _, err := b.SQL().Exec(`DELETE FROM forecasts WHERE series = 'a1'; DELETE FROM batch_series WHERE series = 'a1'`); err != nil {
			t.Fatal(err)
		}
		run2 := &store.Run{Command: "batch"}
		if err := b.StartBatch(ctx, run2); err != nil {
			t.Fatal(err)
		}
		if _, err := b.SQL().Exec(`UPDATE runs SET started_at = '2024-03-01T12:00:05.27Z' WHERE id = ?`, run2.ID); err != nil {
			t.Fatal(err)
		}
		if err := b.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{
			seriesDone("b1", "#10", mv.ID, 3, false), seriesDone("x", "#10", mv.ID, 5, true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.SQL().Exec(withIntervals); err != nil {
			t.Fatal(err)
		}
		MustCloseDB(t, b)

		all := MustOpenDB(t)
		for round := 0; round < 2; round++ {
			for _, src := range []string{"a.db", "b.db"} {
				st, err := all.Merge(ctx, filepath.Join(dir, src))
				if err != nil {
					t.Fatal(err)
				}
				if round == 1 && !reflect.DeepEqual(st, store.MergeStats{}) {
					t.Fatalf("merging %s again: %+v, want nothing", src, st)
				}
				if round == 0 && src == "b.db" && st.Duplicates != 1 {
					t.Fatalf("merging b.db: Duplicates=%d, want 1 (x)", st.Duplicates)
				}
				// b's run never finished, a's did.
				if want := map[string]int{"a.db": 0, "b.db": 1}[src]; round == 0 && len(st.Unfinished) != want {
					t.Fatalf("merging %s: unfinished runs %v, want %d", src, st.Unfinished, want)
				}
			}
		}
		if got, want := countRows(t, all), "runs=2 model_versions=1 forecasts=11"; got != want {
			t.Fatalf("after merging twice: %s, want %s", got, want)
		}
		// Each copied forecast has its own interval, and the replaced ones' are gone.
		if got := queryInt(t, all.SQL(), `SELECT count(*) FROM forecast_intervals AS i
			JOIN forecasts AS f ON f.id = i.forecast_id WHERE i.lower = f.value - 1 AND i.upper = f.value + 1`); got != 11 {
			t.Fatalf("%d forecasts with their interval, want 11", got)
		} else if n := queryInt(t, all.SQL(), `SELECT count(*) FROM forecast_intervals`); n != 11 {
			t.Fatalf("%d intervals, want 11", n)
		}
		// x: b's five forecasts, made later from the same cut-off.
		if got, want := queryInt(t, all.SQL(), `SELECT count(*) FROM forecasts WHERE series = 'x' AND run_id = 2`), 5; got != want {
			t.Fatalf("forecasts of x by run 2=%d, want %d", got, want)
		}
		if got, want := queryInt(t, all.SQL(), `SELECT count(*) FROM batch_series WHERE status = 'done'`), 3; got != want {
			t.Fatalf("done series=%d, want a1, b1, x", got)
		}
		mvs, err := all.ListModelVersions(ctx, "m")
		if err != nil {
			t.Fatal(err)
		} else if len(mvs) != 1 || mvs[0].Version != 1 || mvs[0].RunID != 1 {
			t.Fatalf("versions: %+v", mvs)
		}
	})

	t.Run("MovedAliases", func(t *testing.T) {
		// The target's champion names its air@1; the source's, set later,
		// its own air@1, which the merge copies as air@2, and earlier,
		// its staging, which stays on the target's.
		dir := t.TempDir()
		target, src := MustOpenDB(t), MustOpenDBPath(t, filepath.Join(dir, "src.db"))
		for i, db := range []*store.DB{target, src} {
			mv := newModelVersion("air")
			mv.DataFingerprint = fmt.Sprint(i)
			if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil {
				t.Fatal(err)
			}
			for _, alias := range []string{"champion", "staging"} {
				if _, err := db.SetAlias(ctx, store.ModelRef{Name: "air", Version: 1}, alias); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := src.SQL().Exec(`UPDATE model_aliases SET updated_at = CASE alias WHEN 'champion' THEN '2999-01-01T00:00:00Z' ELSE '2000-01-01T00:00:00Z' END`); err != nil {
			t.Fatal(err)
		}
		MustCloseDB(t, src)
		st, err := target.Merge(ctx, filepath.Join(dir, "src.db"))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"air@champion: air@1 -> air@2"}; !reflect.DeepEqual(st.MovedAliases, want) {
			t.Errorf("moved aliases %q, want %q", st.MovedAliases, want)
		}
		if got := queryInt(t, target.SQL(), `SELECT mv.version FROM model_aliases AS a JOIN model_versions AS mv ON mv.id = a.model_version_id WHERE a.alias = 'champion'`); got != 2 {
			t.Errorf("champion names air@%d, want air@2", got)
		}
	})

	// A tag of a version both hold, with another value in the source,
	// keeps the target's value, and the merge says so (it dropped it
	// without a word).
	t.Run("KeptTags", func(t *testing.T) {
		dir := t.TempDir()
		src := MustOpenDBPath(t, filepath.Join(dir, "src.db"))
		if err := src.SaveFit(ctx, newRun(), newModelVersion("air"), nil); err != nil {
			t.Fatal(err)
		}
		MustCloseDB(t, src)
		copyFile(t, filepath.Join(dir, "src.db"), filepath.Join(dir, "target.db"))
		for path, tags := range map[string]map[string]string{"src.db": {"owner": "b", "team": "x"}, "target.db": {"owner": "a", "team": "x"}} {
			db := MustOpenDBPath(t, filepath.Join(dir, path))
			if err := db.SetTags(ctx, store.ModelRef{Name: "air", Version: 1}, tags, nil); err != nil {
				t.Fatal(err)
			}
			MustCloseDB(t, db)
		}
		target := MustOpenDBPath(t, filepath.Join(dir, "target.db"))
		st, err := target.Merge(ctx, filepath.Join(dir, "src.db"))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"air@1 owner=a (not b)"}; !reflect.DeepEqual(st.KeptTags, want) {
			t.Errorf("kept tags %q, want %q", st.KeptTags, want)
		}
		if got := queryString(t, target, `SELECT group_concat(key || '=' || value, ' ') FROM (SELECT * FROM model_tags ORDER BY key)`); got != "owner=a team=x" {
			t.Errorf("tags after the merge %q, want owner=a team=x", got)
		}
	})

	t.Run("NewerActualKept", func(t *testing.T) {
		// Two databases recorded the same series and time, the second
		// later: its value is kept whichever is merged into which (the
		// first merged in kept its value).
		dir := t.TempDir()
		paths := []string{filepath.Join(dir, "old.db"), filepath.Join(dir, "new.db")}
		for i, path := range paths {
			db := MustOpenDBPath(t, path)
			run := &store.Run{Command: "actuals", StartedAt: time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC)}
			if err := db.SaveActuals(ctx, run, []store.Actual{{Series: "s", Time: time.Date(2022, 3, 2, 0, 0, 0, 0, time.UTC), Value: float64(10 + 89*i)}}); err != nil {
				t.Fatal(err)
			}
			MustCloseDB(t, db)
		}
		for _, order := range [][]string{paths, {paths[1], paths[0]}} {
			into := MustOpenDBPath(t, filepath.Join(t.TempDir(), "into.db"))
			for _, src := range order {
				if _, err := into.Merge(ctx, src); err != nil {
					t.Fatal(err)
				}
			}
			if got := queryInt(t, into.SQL(), `SELECT value FROM actuals WHERE series = 's'`); got != 99 {
				t.Errorf("merged %s then %s: actual %d, want the newer 99", filepath.Base(order[0]), filepath.Base(order[1]), got)
			}
		}
	})

	t.Run("ErrSameFile", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.Merge(ctx, db.Path); err == nil {
			t.Fatal("merged a database into itself")
		}
	})
}

// copyFile copies the file at src to dst.
func copyFile(tb testing.TB, src, dst string) {
	tb.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// fileState is the size, modification time and content hash of the file at
// path, and which of its -wal and -shm files exist.
func fileState(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	s := fmt.Sprintf("%d bytes %x %v", len(b), sha256.Sum256(b), fi.ModTime())
	for _, ext := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + ext); err == nil {
			s += " " + ext
		}
	}
	return s
}

// Merge only reads its inputs: what it refuses is left as it was, and an
// input of an older schema is merged without being upgraded in place.
func TestDB_Merge_InputsReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	raw := MustRawDB(t, foreign)
	if _, err := raw.Exec(`CREATE TABLE people (name TEXT)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	old := filepath.Join(dir, "v1.db")
	copyFile(t, "testdata/schema-v1/forecast.db", old)

	target := filepath.Join(dir, "all.db")
	db := MustOpenDBPath(t, target)
	hard, soft := filepath.Join(dir, "hard.db"), filepath.Join(dir, "soft.db")
	if err := os.Link(target, hard); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, soft); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct{ src, want string }{
		{empty, "is not a forecast database: it is empty"},
		{foreign, "is not a forecast database: it holds tables (people) but no schema_migrations"},
		{hard, "it is the target database"},
		{soft, "it is the target database"},
		{filepath.Join(dir, "gone.db"), "no such file or directory"},
	} {
		var before string
		if _, err := os.Stat(tt.src); err == nil {
			before = fileState(t, tt.src)
		}
		for _, check := range []func() error{
			func() error { return store.CheckMergeSource(ctx, target, tt.src) },
			func() error { _, err := db.Merge(ctx, tt.src); return err },
		} {
			if err := check(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("merge %s: %v, want an error saying %q", tt.src, err, tt.want)
			}
		}
		if before == "" || tt.src == hard || tt.src == soft {
			continue // missing, or the target itself, open
		}
		if after := fileState(t, tt.src); after != before {
			t.Fatalf("merge %s changed it: %s, was %s", tt.src, after, before)
		}
	}

	before := fileState(t, old)
	st, err := db.Merge(ctx, old)
	if err != nil {
		t.Fatal(err)
	} else if st.Runs != 1 || st.ModelVersions != 1 || st.Forecasts != 3 {
		t.Fatalf("merged %+v, want the fixture's run, version and 3 forecasts", st)
	}
	if after := fileState(t, old); after != before {
		t.Fatalf("merging the schema-1 file changed it: %s, was %s", after, before)
	}
}

// An input in a read-only folder (a WAL database whose -shm cannot be made)
// merges. File permissions do not bind root, so the test needs another user.
func TestDB_Merge_ReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("skipped: running as root, whom file permissions do not bind")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "shard")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := MustOpenDBPath(t, filepath.Join(dir, "a.db"))
	run, mv := mustStartBatch(t, src)
	if err := src.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{seriesDone("x", "#10", mv.ID, 3, false)}); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, src)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })

	db := MustOpenDB(t)
	st, err := db.Merge(ctx, filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatal(err)
	} else if st.Forecasts != 3 {
		t.Fatalf("merged %+v, want 3 forecasts", st)
	}
	ro, err := store.OpenForReading(ctx, filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatalf("open for reading in a read-only folder: %v", err)
	}
	defer ro.Close()
	if rows, err := ro.FindForecasts(ctx, store.ForecastFilter{}); err != nil || len(rows) != 3 {
		t.Fatalf("forecasts read from a read-only folder: %d, %v", len(rows), err)
	}
	if _, err := store.Open(ctx, filepath.Join(dir, "new.db")); err == nil || !strings.Contains(err.Error(), "cannot create database") || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("creating a database in a read-only folder: %v, want the permission cause", err)
	}
}

// TestDB_Merge_RelabelsWrote: two databases that each fitted air@1 merge
// into air@1 and air@2, and the run that wrote the second says air@2.
func TestDB_Merge_RelabelsWrote(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for i, name := range []string{"a.db", "b.db"} {
		db := MustOpenDBPath(t, filepath.Join(dir, name))
		mv := newModelVersion("air")
		mv.DataFingerprint = fmt.Sprintf("data %d", i)
		if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil {
			t.Fatal(err)
		}
		MustCloseDB(t, db)
	}
	all := MustOpenDB(t)
	for i, name := range []string{"a.db", "b.db"} {
		st, err := all.Merge(ctx, filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		// b's air@1 becomes air@2, and the merge says so.
		if want := [][]string{nil, {"air@1 is air@2"}}[i]; !reflect.DeepEqual(st.Renumbered, want) {
			t.Errorf("merging %s: renumbered %q, want %q", name, st.Renumbered, want)
		}
	}
	rows, err := all.SQL().QueryContext(ctx, `
		SELECT mv.name || '@' || mv.version, json_extract(r.wrote, '$.model_versions[0]')
		FROM model_versions AS mv JOIN runs AS r ON r.id = mv.run_id ORDER BY mv.version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var version, wrote string
		if err := rows.Scan(&version, &wrote); err != nil {
			t.Fatal(err)
		}
		got = append(got, version+" written by a run that says "+wrote)
	}
	want := []string{"air@1 written by a run that says air@1", "air@2 written by a run that says air@2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged versions %q, want %q", got, want)
	}

	// A version deleted from its database before the merge is not
	// labelled as the version of the target that has its number.
	shard := MustOpenDBPath(t, filepath.Join(dir, "c.db"))
	for i := range 2 {
		mv := newModelVersion("air")
		mv.DataFingerprint = fmt.Sprintf("shard data %d", i)
		if err := shard.SaveFit(ctx, newRun(), mv, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := shard.DeleteModelVersion(ctx, store.ModelRef{Name: "air", Version: 1}, true); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, shard)
	if _, err := all.Merge(ctx, filepath.Join(dir, "c.db")); err != nil {
		t.Fatal(err)
	}
	var raw string
	var labels []string
	if err := all.SQL().QueryRowContext(ctx, `SELECT json_group_array(json_extract(wrote, '$.model_versions[0]')) FROM (SELECT wrote FROM runs ORDER BY id)`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), &labels); err != nil {
		t.Fatal(err)
	}
	if want := []string{"air@1", "air@2", "air@1 (deleted from c.db before the merge)", "air@3"}; !reflect.DeepEqual(labels, want) {
		t.Errorf("runs say they wrote %q, want %q", labels, want)
	}
}

// TestDB_Merge_SourceInUse: a database whose batch lock a live process
// holds is not merged (its runs are unfinished, and a merge copies a run
// once); once the lock is released it is.
func TestDB_Merge_SourceInUse(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shard.db")
	shard := MustOpenDBPath(t, path)
	lock, err := shard.Lock(ctx, "batch", "batch", 0, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	all := MustOpenDB(t)
	if _, err := all.Merge(ctx, path); !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "in use by forecast batch") {
		t.Fatalf("merge of a shard a batch is writing: %v, want ErrLocked naming the batch", err)
	}
	if err := lock.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := all.Merge(ctx, path); err != nil {
		t.Fatalf("merge after the batch: %v", err)
	}
}

// TestDB_Merge_KilledReplace: a shard whose replacing batch was killed
// keeps the finished run's forecasts of the series it had redone (they go
// only when the replacing run finishes); its merge copies them too, so the
// merged database holds every forecast the shard does.
func TestDB_Merge_KilledReplace(t *testing.T) {
	ctx := context.Background()
	src := MustOpenDB(t)
	run1, mv1 := mustStartBatch(t, src)
	if err := src.SaveBatchSeries(ctx, run1.ID, []*store.BatchSeries{
		seriesDone("a", "#10", mv1.ID, 3, false), seriesDone("b", "#10", mv1.ID, 3, false)}); err != nil {
		t.Fatal(err)
	}
	if err := src.FinishBatch(ctx, run1, nil); err != nil {
		t.Fatal(err)
	}
	run2, mv2 := mustStartBatch(t, src) // killed after storing a
	if err := src.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{seriesDone("a", "#10", mv2.ID, 4, true)}); err != nil {
		t.Fatal(err)
	}
	held := func(db *store.DB) string {
		t.Helper()
		var s string
		if err := db.SQL().QueryRow(`SELECT group_concat(n, ' ') FROM (
			SELECT f.series || '@' || mv.version || ':' || count(*) AS n FROM forecasts AS f
			JOIN model_versions AS mv ON mv.id = f.model_version_id
			GROUP BY f.series, mv.version ORDER BY f.series, mv.version)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := held(src)
	if want != "a@1:3 a@2:4 b@1:3" {
		t.Fatalf("the shard holds %s, want a@1:3 a@2:4 b@1:3", want)
	}
	dst := MustOpenDB(t)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) // its runs after src's
	dst.Now = func() time.Time { now = now.Add(time.Second); return now }
	if _, err := dst.Merge(ctx, src.Path); err != nil {
		t.Fatal(err)
	}
	if got := held(dst); got != want {
		t.Errorf("merged database holds %s, the shard %s", got, want)
	}
	// The target redoes a in a batch that finishes, deleting a@1 and a@2;
	// merging the shard again does not bring them back.
	run3, mv3 := mustStartBatch(t, dst)
	if err := dst.SaveBatchSeries(ctx, run3.ID, []*store.BatchSeries{seriesDone("a", "#10", mv3.ID, 5, true)}); err != nil {
		t.Fatal(err)
	}
	if err := dst.FinishBatch(ctx, run3, nil); err != nil {
		t.Fatal(err)
	}
	if got := held(dst); got != "a@3:5 b@1:3" {
		t.Fatalf("after the replacing run the target holds %s, want a@3:5 b@1:3", got)
	}
	st, err := dst.Merge(ctx, src.Path)
	if err != nil {
		t.Fatal(err)
	}
	if got := held(dst); got != "a@3:5 b@1:3" || st.Forecasts != 0 {
		t.Errorf("merging the shard again: target holds %s, %d forecasts copied; want a@3:5 b@1:3 and none", got, st.Forecasts)
	}
}

// TestDB_Merge_KilledAndFinishedShards: two shards copied from one
// database, where a batch replacing series a was killed in one and
// finished in the other (deleting the first run's forecasts of a). Merged
// in either order, the merged database holds none of the forecasts the
// finished run deleted.
func TestDB_Merge_KilledAndFinishedShards(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	orig := MustOpenDBPath(t, filepath.Join(dir, "orig.db"))
	run1, mv1 := mustStartBatch(t, orig)
	if err := orig.SaveBatchSeries(ctx, run1.ID, []*store.BatchSeries{
		seriesDone("a", "#10", mv1.ID, 3, false), seriesDone("b", "#10", mv1.ID, 3, false)}); err != nil {
		t.Fatal(err)
	}
	if err := orig.FinishBatch(ctx, run1, nil); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, orig)
	copyFile(t, filepath.Join(dir, "orig.db"), filepath.Join(dir, "killed.db"))
	copyFile(t, filepath.Join(dir, "orig.db"), filepath.Join(dir, "done.db"))
	killed := MustOpenDBPath(t, filepath.Join(dir, "killed.db"))
	run2, mv2 := mustStartBatch(t, killed) // killed after storing a
	if err := killed.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{seriesDone("a", "#10", mv2.ID, 4, true)}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	done := MustOpenDBPath(t, filepath.Join(dir, "done.db"))
	run3, mv3 := mustStartBatch(t, done) // started later, finished
	if err := done.SaveBatchSeries(ctx, run3.ID, []*store.BatchSeries{seriesDone("a", "#10", mv3.ID, 5, true)}); err != nil {
		t.Fatal(err)
	}
	if err := done.FinishBatch(ctx, run3, nil); err != nil {
		t.Fatal(err)
	}
	for _, order := range [][]string{{"done.db", "killed.db"}, {"killed.db", "done.db"}} {
		all := MustOpenDB(t)
		for _, src := range order {
			if _, err := all.Merge(ctx, filepath.Join(dir, src)); err != nil {
				t.Fatal(err)
			}
		}
		var stale, kept int
		if err := all.SQL().QueryRow(`SELECT count(*) FROM forecasts AS f JOIN runs AS r ON r.id = f.run_id
			WHERE f.series = 'a' AND r.started_at = (SELECT min(started_at) FROM runs)`).Scan(&stale); err != nil {
			t.Fatal(err)
		}
		if err := all.SQL().QueryRow(`SELECT count(*) FROM forecasts AS f JOIN runs AS r ON r.id = f.run_id
			WHERE f.series = 'a' AND r.finished_at IS NOT NULL AND r.started_at = (SELECT max(started_at) FROM runs)`).Scan(&kept); err != nil {
			t.Fatal(err)
		}
		if stale != 0 || kept != 5 {
			t.Errorf("merged %v: %d forecasts of a by the first run, which the finished replacing run deleted, and %d by that run (want 0 and 5)", order, stale, kept)
		}
	}
}
