package app_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app"
)

// TestScheduleStopsCleanly runs a real forecast schedule every second over
// 1,000 series, waits for two runs to finish, sends SIGTERM once the third
// has stored the forecasts of a first series (or has ended), and checks
// that the scheduler stops with code 0 and leaves nothing partial: every
// run finished, every done series has all its forecasts and no other
// forecast is stored, no lock is left and the database is sound. The test
// acts on the scheduler's log lines and rows, not on elapsed time; the scheduling
// itself (which run happens when) is tested with a fake clock in package
// pipeline.
func TestScheduleStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the forecast binary and runs the scheduler for a few seconds")
	}
	bin := buildForecast(t)
	dir := filepath.Dir(bin)
	data := writeRows(t, 1000, 100, -1, 0)
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "rows"
refit = "if-older-than 1h"
on-existing = "replace"
train-series = 50

[job.source]
path = %q
layout = "rows"

[job.settings]
lookback = 48
horizon = 6
season = 24
layers = 2
hidden = 32
epochs = 1
windows-per-epoch = 256
`, data))
	db := filepath.Join(dir, "f.db")

	cmd := exec.Command(bin, "schedule", jobs, "--cron", "@every 1s", "--db", db, "--workers", "2")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var log []string
	finished, signalled := 0, false
	// A failsafe against a scheduler that hangs; the verdict never rests on it.
	failsafe := time.After(5 * time.Minute)
read:
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				break read
			}
			log = append(log, line)
			switch {
			case strings.Contains(line, " finished in "):
				finished++
			case finished >= 2 && !signalled && strings.HasPrefix(line, "job rows: reuse "):
				waitForForecasts(t, db)
				if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
				signalled = true
			}
		case <-failsafe:
			cmd.Process.Kill()
			t.Fatalf("no clean stop within 5 minutes:\n%s", strings.Join(log, "\n"))
		}
	}
	err = cmd.Wait()
	text := strings.Join(log, "\n")
	if err != nil {
		t.Fatalf("schedule: %v\nstdout:\n%s\nstderr:\n%s", err, text, stderr.String())
	}
	if !signalled || !strings.Contains(log[len(log)-1], "stopped") {
		t.Fatalf("the log does not end with the stop:\n%s", text)
	}
	t.Logf("scheduler log:\n%s", text)

	if got := queryInt(t, db, `SELECT count(*) FROM runs`); got < 3 {
		t.Fatalf("%d runs, want at least 3", got)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM runs WHERE finished_at IS NULL`); got != 0 {
		t.Fatalf("%d unfinished runs after the stop", got)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM runs WHERE status = 'ok'`); got < 2 {
		t.Fatalf("%d ok runs, want at least 2", got)
	}
	if got := queryInt(t, db, `
		SELECT count(*) FROM batch_series AS s
		WHERE s.status = 'done' AND s.forecasts <> (
			SELECT count(*) FROM forecasts AS f WHERE f.run_id = s.run_id AND f.series = s.series)`); got != 0 {
		t.Fatalf("%d done series without all their forecasts", got)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM forecasts AS f WHERE NOT EXISTS (
		SELECT 1 FROM batch_series AS s WHERE s.run_id = f.run_id AND s.series = f.series AND s.status = 'done')`); got != 0 {
		t.Fatalf("%d forecasts of no done series", got)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM (SELECT 1 FROM batch_series WHERE status = 'done' GROUP BY model, series, cutoff HAVING count(*) > 1)`); got != 0 {
		t.Fatalf("%d series forecast twice from one cut-off", got)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM locks`); got != 0 {
		t.Fatalf("%d locks left", got)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM batch_jobs WHERE status = 'running'`); got != 0 {
		t.Fatalf("%d jobs left running", got)
	}
	var check string
	if out, err := exec.Command(bin, "models", "list", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("models list after the stop: %v\n%s", err, out)
	}
	mustQuery(t, db, `PRAGMA integrity_check`, &check)
	if check != "ok" {
		t.Fatalf("integrity_check=%q", check)
	}
}

// waitForForecasts waits until the newest run in the database at path has
// stored a series, or has ended. It looks every 10ms: the rows, not the
// time, decide.
func waitForForecasts(t *testing.T, path string) {
	t.Helper()
	for queryInt(t, path, `SELECT EXISTS (
			SELECT 1 FROM batch_series WHERE status = 'done' AND run_id = (SELECT max(id) FROM runs))
		OR (SELECT finished_at IS NOT NULL FROM runs ORDER BY id DESC LIMIT 1)`) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
}

func TestScheduleBadCron(t *testing.T) {
	jobs := writeJobs(t, "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n")
	db := filepath.Join(t.TempDir(), "f.db")
	for spec, want := range map[string]string{
		"61 * * * *":   `forecast: --cron "61 * * * *": `,
		"@every 0s":    "the interval must be at least 1s",
		"@every -1s":   "the interval must be at least 1s",
		"0 0 30 2 *":   "the schedule never fires",
		"@every 500ms": "the interval must be at least 1s",
	} {
		code, _, errOut := run(t, "schedule", jobs, "--cron", spec, "--db", db)
		if code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("--cron %q: exit %d, %q; want exit 2 saying %q", spec, code, errOut, want)
		}
	}
}

// skipCounter cancels its context once it has been written n lines of
// skipped runs (or, with markers, of lines holding one).
type skipCounter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	n       int
	markers []string // default " run skipped: "
	cancel  context.CancelFunc
}

func (w *skipCounter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	markers := w.markers
	if len(markers) == 0 {
		markers = []string{" run skipped: "}
	}
	for _, m := range markers {
		w.n -= bytes.Count(p, []byte(m))
	}
	if w.n <= 0 {
		w.cancel()
	}
	return w.buf.Write(p)
}

// TestScheduleCountsRunsByOutcome: stopped after times at which another
// process held the batch lock, the scheduler said "2 runs", as if they had
// run; it counts them by outcome.
func TestScheduleCountsRunsByOutcome(t *testing.T) {
	dir := writeSeriesDir(t, 1, 150)
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"load\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s", filepath.Join(dir, "*.csv"), batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "batch", jobs, "--db", db)
	host, _ := os.Hostname()
	now := time.Now().UTC().Format(time.RFC3339)
	mustExec(t, db, fmt.Sprintf(`INSERT INTO locks VALUES ('batch', 'x', '%s', %d, 'batch', '%s', '%s')`, host, os.Getpid(), now, now))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &skipCounter{n: 2, cancel: cancel}
	var errOut bytes.Buffer
	a := &app.App{Stdin: strings.NewReader(""), Stdout: out, Stderr: &errOut, Version: "test"}
	if code := a.Run(ctx, []string{"schedule", jobs, "--cron", "@every 1s", "--db", db}); code != 0 {
		t.Fatalf("schedule: exit %d\n%s%s", code, out.buf.String(), errOut.String())
	}
	if want := "stopped by signal; 0 runs finished, 2 skipped, 0 failed\n"; !strings.HasSuffix(out.buf.String(), want) {
		t.Errorf("schedule's log does not end %q:\n%s", want, out.buf.String())
	}

	// Runs in which a series failed are recorded failed, as batch exits 7
	// for them: they are counted so, not as finished.
	mustExec(t, db, `DELETE FROM locks`)
	if err := os.WriteFile(filepath.Join(dir, "s90.csv"), []byte("date,load\n2024-01-01 00:00,1\n2024-01-01 01:00,oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	failing := &skipCounter{n: 2, markers: []string{" failed in ", " finished in "}, cancel: cancel}
	a.Stdout = failing
	if code := a.Run(ctx, []string{"schedule", jobs, "--cron", "@every 1s", "--db", db}); code != 0 {
		t.Fatalf("schedule: exit %d\n%s%s", code, failing.buf.String(), errOut.String())
	}
	if want := "stopped by signal; 0 runs finished, 0 skipped, 2 failed\n"; !strings.HasSuffix(failing.buf.String(), want) {
		t.Errorf("schedule's log does not end %q:\n%s", want, failing.buf.String())
	}
}
