package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

// Numbers in a jobs file are TOML numbers: horizon = "7" is refused.
func TestBatchRefusesQuotedNumbers(t *testing.T) {
	dir := writeSeriesDir(t, 1, 60)
	for _, tt := range []struct{ key, want string }{
		{`horizon = "7"`, `settings: horizon = "7": want a whole number, not text`},
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
	if got := queryInt(t, db, `SELECT count(*) FROM forecasts WHERE series = 'load'`); got != 12 {
		t.Fatalf("forecasts of load=%d, want 12 (6 of each job's model)", got)
	}
}
