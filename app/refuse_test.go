package app_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

// A jobs file whose source is missing, matches no file or lacks the target
// is refused before the database is opened: no file, no failed run.
func TestBatchRefusesBadSourceBeforeOpening(t *testing.T) {
	dir := writeSeriesDir(t, 1, 60)
	for _, tt := range []struct {
		name, source string
		code         int
		want         string
	}{
		{"missing path", fmt.Sprintf("path = %q\ntarget = \"load\"", filepath.Join(dir, "gone.csv")), 2, "gone.csv: no such file or directory"},
		{"empty glob", fmt.Sprintf("path = %q\ntarget = \"load\"", filepath.Join(dir, "*.tsv")), 2, "matches no file"},
		{"wrong target", fmt.Sprintf("path = %q\ntarget = \"sales\"", filepath.Join(dir, "*.csv")), 3, `"sales"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			jobs := writeJobs(t, "[[job]]\nname = \"j\"\n[job.source]\n"+tt.source+"\n")
			db := filepath.Join(t.TempDir(), "f.db")
			code, out, errOut := run(t, "batch", jobs, "--db", db)
			if code != tt.code || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, `job "j"`) {
				t.Fatalf("exit %d, stderr %q; want exit %d naming job \"j\" and %q\nstdout:\n%s", code, errOut, tt.code, tt.want, out)
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Fatalf("the database was created (%v)", err)
			}
		})
	}
}

// Numbers in a jobs file are TOML numbers: patience = "7" is refused; a
// horizon, like the lookback, is a number or auto.
func TestBatchRefusesQuotedNumbers(t *testing.T) {
	dir := writeSeriesDir(t, 1, 60)
	for _, tt := range []struct{ key, want string }{
		{"[job.settings]\npatience = \"7\"", `settings: patience = "7": want a whole number, not text`},
		{`horizon = "soon"`, `--horizon must be auto or a whole number from 1 up, got "soon"`},
		{"[job.settings]\nlr = \"0.01\"", `settings: lr = "0.01": want a number, not text`},
		{"[job.settings]\ncalendar = \"yes\"", `settings: calendar = "yes": want true or false, not text`},
		{"[job.settings]\nepochs = 2.5", `settings: epochs = 2.5: want a whole number, not a fraction`},
	} {
		jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"j\"\n%s\n[job.source]\npath = %q\ntarget = \"load\"\n",
			tt.key, filepath.Join(dir, "s00.csv")))
		if strings.HasPrefix(tt.key, "[job.settings]") {
			jobs = writeJobs(t, fmt.Sprintf("[[job]]\nname = \"j\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s\n",
				filepath.Join(dir, "s00.csv"), tt.key))
		}
		db := filepath.Join(t.TempDir(), "f.db")
		if code, _, errOut := run(t, "batch", jobs, "--db", db); code != 2 || !strings.Contains(errOut, tt.want) {
			t.Fatalf("%s: exit %d, stderr %q; want exit 2 and %q", tt.key, code, errOut, tt.want)
		}
	}
}

// A first batch whose every series is shorter than the lookback has nothing
// to train on: the job fails (exit 7) instead of reporting that every series
// was forecast before.
func TestBatchFirstFitAllSeriesShort(t *testing.T) {
	dir := writeSeriesDir(t, 2, 8)
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"short\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s",
		filepath.Join(dir, "*.csv"), batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, "batch", jobs, "--db", db)
	if code != 7 || strings.Contains(out, "forecast from its data before") ||
		!strings.Contains(out, "job short: failed: invalid input: none of the 2 series of "+filepath.Join(dir, "*.csv")+" not forecast before has the lookback's 12 values") {
		t.Fatalf("exit %d, want 7 (the job failed)\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// Two jobs of one batch whose series share an id (two files with a "sales"
// column) both store their forecasts.
func TestBatchTwoJobsSameSeriesID(t *testing.T) {
	a, b := writeSeriesDir(t, 1, 120), writeSeriesDir(t, 1, 120)
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "a"
[job.source]
path = %q
target = "load"
%s
[[job]]
name = "b"
[job.source]
path = %q
target = "load"
%s`, filepath.Join(a, "s00.csv"), batchSettings, filepath.Join(b, "s00.csv"), batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")
	out := mustRun(t, 0, "batch", jobs, "--db", db)
	if !strings.Contains(out, "2 series done, 0 failed") {
		t.Fatalf("batch:\n%s", out)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM forecasts WHERE series = 's00/load'`); got != 12 {
		t.Fatalf("forecasts of load=%d, want 12 (6 of each job's model)", got)
	}
}

// --plot into a folder that does not exist is refused before the data is
// read or the database opened, not after training.
func TestFitPlotMissingFolder(t *testing.T) {
	data := writeSeries(t, 200)
	db := filepath.Join(t.TempDir(), "f.db")
	plot := filepath.Join(t.TempDir(), "gone", "p.png")
	args := append([]string{"fit", data, "--db", db, "--plot", plot}, smallFit...)
	code, out, errOut := run(t, args...)
	if code != 2 || !strings.Contains(errOut, "--plot "+plot+": stat "+filepath.Dir(plot)+": no such file or directory") {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming the missing folder", code, errOut)
	}
	if strings.Contains(out, "epoch") || strings.Contains(errOut, "epoch") {
		t.Fatalf("trained before refusing --plot:\n%s%s", out, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("the database was created (%v)", err)
	}
}

// Names from the data print in tables with their control characters
// escaped: a tab or an escape sequence cannot break the columns or drive
// the terminal.
func TestForecastsTableEscapesControlCharacters(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	mv := &store.ModelVersion{Name: "m", Weights: []byte{1}}
	fcs := []store.Forecast{{Series: "a\tb\nc\x1b[31m\u0085", Step: 1, Value: 1.5}}
	if err := s.SaveFit(context.Background(), &store.Run{Command: "fit"}, mv, fcs); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A name fit no longer takes, as a database written before may hold.
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE model_versions SET name = ?`, "m\x1b[2J"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out := mustRun(t, 0, "forecasts", "--db", db)
	if want := `m\x1b[2J@1  a\tb\nc\x1b[31m\u0085`; !strings.Contains(out, want) {
		t.Fatalf("forecasts table lacks %q:\n%s", want, out)
	}
	if strings.ContainsAny(out, "\x1b\t\u0085") {
		t.Fatalf("forecasts table holds raw control characters: %q", out)
	}
}

// A database in a read-only folder, or read-only itself, is read by the
// commands that only read; a command that writes exits 5 saying why.
// File permissions do not bind root, so the test needs another user.
func TestReadOnlyDatabase(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("skipped: running as root, whom file permissions do not bind")
	}
	data := writeSeries(t, 200)
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--db", db}, smallFit...)...)
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })

	for _, args := range [][]string{{"forecasts"}, {"forecasts", "--format", "json"}, {"models", "list"}, {"models", "show", "load"}, {"accuracy"}} {
		mustRun(t, 0, append(args, "--db", db)...)
	}
	// A plot into a folder that cannot be written: refused before training.
	plotArgs := append([]string{"fit", data, "--db", filepath.Join(t.TempDir(), "p.db"), "--plot", filepath.Join(dir, "p.png")}, smallFit...)
	if code, out, errOut := run(t, plotArgs...); code != 2 || !strings.Contains(errOut, "cannot write in folder "+dir) || strings.Contains(out+errOut, "epoch") {
		t.Fatalf("--plot into a read-only folder: exit %d, want 2 before training:\n%s%s", code, out, errOut)
	}
	// A read-only database in a folder that is not: refused before
	// training, not after.
	rw := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--db", rw}, smallFit...)...)
	if err := os.Chmod(rw, 0o444); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, append([]string{"fit", data, "--db", rw}, smallFit...)...); code != 5 || !strings.Contains(errOut, "database "+rw+" is read-only") || strings.Contains(out+errOut, "epoch") {
		t.Fatalf("fit into a read-only database file: exit %d, want 5 before training:\n%s%s", code, out, errOut)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{append([]string{"fit", data, "--db", db}, smallFit...), "database " + db + " is read-only"},
		{append([]string{"fit", data, "--db", filepath.Join(dir, "new.db")}, smallFit...), "cannot create database " + filepath.Join(dir, "new.db") + ": folder " + dir + ": permission denied"},
		{[]string{"models", "list", "--db", filepath.Join(dir, "new.db")}, "database " + filepath.Join(dir, "new.db") + " does not exist"},
	} {
		if code, _, errOut := run(t, tt.args...); code != 5 || !strings.Contains(errOut, tt.want) {
			t.Fatalf("%q: exit %d, stderr %q; want exit 5 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// merge checks every input before it writes: an input that is the target
// (here through a link) stops the merge before an earlier input is copied.
func TestMergeChecksInputsFirst(t *testing.T) {
	dir := t.TempDir()
	a, into := filepath.Join(dir, "a.db"), filepath.Join(dir, "all.db")
	mustRun(t, 0, append([]string{"fit", writeSeries(t, 200), "--db", a}, smallFit...)...)
	created, err := store.Open(context.Background(), into)
	if err != nil {
		t.Fatal(err)
	}
	created.Close()
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(into, link); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "merge", a, link, "--into", into)
	if code != 2 || !strings.Contains(errOut, "merge "+link+": it is the target database "+into) {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming the link", code, errOut)
	}
	if got := countRows(t, into); !strings.HasPrefix(got, "runs=0 model_versions=0") {
		t.Fatalf("%s after a refused merge, want nothing copied", got)
	}
	// An input that is missing or not a database is a storage error, exit
	// 5, as --db of one is for every other command; no target is created.
	notDB := filepath.Join(dir, "sales.csv")
	if err := os.WriteFile(notDB, []byte("month,sales\n2024-01,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh.db")
	for input, want := range map[string]string{notDB: notDB + " is not a forecast database", filepath.Join(dir, "gone.db"): "database " + filepath.Join(dir, "gone.db") + " does not exist"} {
		code, _, errOut := run(t, "merge", a, input, "--into", fresh)
		if code != 5 || !strings.Contains(errOut, want) {
			t.Errorf("merge of %s: exit %d, stderr %q; want exit 5 and %q", input, code, errOut, want)
		}
		if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("merge of %s left %s behind (%v)", input, fresh, err)
		}
	}
}

// A shard whose batch is still running is refused before the target is
// created (exit 8, naming the batch); once it is done it merges.
func TestMergeRefusesShardInUse(t *testing.T) {
	dir := t.TempDir()
	shard, into := filepath.Join(dir, "shard.db"), filepath.Join(dir, "all.db")
	mustRun(t, 0, append([]string{"fit", writeSeries(t, 200), "--db", shard}, smallFit...)...)
	db, err := store.Open(context.Background(), shard)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := db.Lock(context.Background(), "batch", "batch", 0, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "merge", shard, "--into", into)
	if code != 8 || !strings.Contains(errOut, "in use by forecast batch") {
		t.Errorf("exit %d, stderr %q; want exit 8 naming the batch", code, errOut)
	}
	if _, err := os.Stat(into); !os.IsNotExist(err) {
		t.Errorf("the target was created (%v)", err)
	}
	if err := lock.Unlock(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	mustRun(t, 0, "merge", shard, "--into", into)
}

// models rm while a batch runs is refused (exit 8, naming it): the batch
// forecasting with the version deleted failed every series after it.
func TestModelsRmRefusedDuringBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", writeSeries(t, 200), "--db", path}, smallFit...)...)
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lock, err := db.Lock(context.Background(), "batch", "batch", 0, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "models", "rm", "load@1", "--cascade", "--db", path)
	if code != 8 || !strings.Contains(errOut, "in use by forecast batch") {
		t.Errorf("exit %d, stderr %q; want exit 8 naming the batch", code, errOut)
	}
	if n := queryInt(t, path, `SELECT count(*) FROM model_versions`); n != 1 {
		t.Errorf("%d versions after the refused rm, want 1", n)
	}
	if err := lock.Unlock(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustRun(t, 0, "models", "rm", "load@1", "--cascade", "--db", path)
}

// TestFitRefusesUnboundedSettings: --hidden 100000 ran out of memory with a
// runtime trace (exit 2, the usage code, by accident), --ensemble 10^9 and
// --layers 100 trained until killed, and --lr Inf or --clip NaN trained
// and then blamed the data for the NaN forecast, --horizon 2^63−1
// panicked. Each is a usage error
// naming its flag, before anything is read or stored; --batch larger than
// the windows is one batch of them all.
func TestFitRefusesUnboundedSettings(t *testing.T) {
	data := writeSeries(t, 120)
	db := filepath.Join(t.TempDir(), "f.db")
	for _, tt := range []struct {
		flag, value, want string
	}{
		{"--hidden", "100000", "--hidden must be at most 2048, got 100000"},
		{"--layers", "100", "--layers must be at most 16, got 100"},
		{"--ensemble", "1000000000", "--ensemble must be auto or at most 100, got 1000000000"},
		{"--lr", "Inf", "--lr must be a positive number, at most 1, got +Inf"},
		{"--lr", "1e308", "--lr must be a positive number, at most 1, got 1e+308"},
		{"--clip", "NaN", "--clip must be 0 (none) or a positive number, got NaN"},
		{"--clip", "Inf", "--clip must be 0 (none) or a positive number, got +Inf"},
		// A horizon of 2^63−1 overflowed the split's sums into a panic.
		{"--horizon", "9223372036854775807", "--horizon must be auto or at most 1000000000, got 9223372036854775807"},
		{"--season", "9223372036854775806", "--season must be auto or at most 1000000000, got 9223372036854775806"},
	} {
		code, _, errOut := run(t, "fit", data, "--target", "load", "--db", db, tt.flag, tt.value)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s %s: exit %d, %q; want exit 2 and %q", tt.flag, tt.value, code, errOut, tt.want)
		}
	}
	// A lookback longer than the series: refused naming the file, before
	// the database is opened (it was opened, a run begun, the data line
	// printed, and the message named no file).
	code, out, errOut := run(t, "fit", data, "--target", "load", "--db", db, "--lookback", "100000")
	if code != 3 || out != "" || !strings.HasPrefix(errOut, "forecast: "+data+": invalid input: 120 values give 0 train") {
		t.Errorf("--lookback 100000: exit %d, %q%q", code, out, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("refused fits created %s (%v)", db, err)
	}
	args := append([]string{"fit", data, "--db", db}, smallFit...)
	args[slices.Index(args, "--batch")+1] = "1000000000"
	mustRun(t, 0, args...)
}

// An output file that is the database (--plot, models export -o) is
// refused: written, it destroyed every model stored there. So is a --db
// that names no file (empty, or :memory:), into which a fit or a batch
// reported storing what was dropped at exit.
func TestOutputIsTheDatabase(t *testing.T) {
	data := writeSeries(t, 200)
	dir := t.TempDir()
	db := filepath.Join(dir, "models.png")
	mustRun(t, 0, append([]string{"fit", data, "--db", db}, smallFit...)...)
	for _, args := range [][]string{
		append([]string{"fit", data, "--db", db, "--plot", filepath.Join(dir, "..", filepath.Base(dir), "models.png")}, smallFit...),
		{"models", "export", "load", "-o", db, "--db", db},
	} {
		if code, out, errOut := run(t, args...); code != 2 || !strings.Contains(errOut, "is the database (--db): write to another file") || strings.Contains(out+errOut, "epoch") {
			t.Errorf("%q: exit %d, want 2 before any work:\n%s%s", args, code, out, errOut)
		}
	}
	if out := mustRun(t, 0, "models", "list", "--db", db); !strings.Contains(out, "load ") {
		t.Errorf("the database lost its model:\n%s", out)
	}
	for _, path := range []string{"", ":memory:", "file:x?mode=memory"} {
		args := append([]string{"fit", data, "--db", path}, smallFit...)
		if code, out, errOut := run(t, args...); code != 2 || !strings.Contains(errOut, "names no database file") || strings.Contains(out+errOut, "epoch") {
			t.Errorf("--db %q: exit %d, want 2 before any work:\n%s%s", path, code, out, errOut)
		}
	}
	if code, _, errOut := run(t, "merge", db, "--into", ""); code != 2 || !strings.Contains(errOut, `--into "" names no database file`) {
		t.Errorf("merge --into '': exit %d, %q; want 2", code, errOut)
	}
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"load\"\n[job.source]\npath = %q\ntarget = \"load\"\n", data))
	for _, args := range [][]string{{"batch", jobs, "--db", db, "--wait", "-5s"}, {"merge", db, "--into", filepath.Join(dir, "all.db"), "--wait", "-5s"}} {
		if code, _, errOut := run(t, args...); code != 2 || !strings.Contains(errOut, "--wait must not be negative, got -5s") {
			t.Errorf("%q: exit %d, %q; want 2", args, code, errOut)
		}
	}
}
