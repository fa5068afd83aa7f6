package app_test

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScheduleStopsCleanly runs a real forecast schedule every second over
// 3,000 series, waits for two runs to finish, sends SIGTERM 0.2s into the
// forecasts of the third and checks that the scheduler stops with code 0
// and leaves nothing partial: every run finished (the third as
// interrupted), every done series has all its forecasts and no other
// forecast is stored, no lock is left and the database is sound.
func TestScheduleStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the forecast binary and runs the scheduler for a few seconds")
	}
	bin := buildForecast(t)
	dir := filepath.Dir(bin)
	data := writeRows(t, 3000, 100, -1, 0)
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
	timeout := time.After(2 * time.Minute)
	for line := range lines {
		log = append(log, line)
		switch {
		case strings.Contains(line, " finished in "):
			finished++
		case finished >= 2 && !signalled && strings.HasPrefix(line, "job rows: reuse "):
			time.AfterFunc(200*time.Millisecond, func() { cmd.Process.Signal(syscall.SIGTERM) })
			signalled = true
		}
		select {
		case <-timeout:
			cmd.Process.Kill()
			t.Fatalf("no clean stop within 2 minutes:\n%s", strings.Join(log, "\n"))
		default:
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

func TestScheduleBadCron(t *testing.T) {
	jobs := writeJobs(t, "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n")
	db := filepath.Join(t.TempDir(), "f.db")
	code, _, errOut := run(t, "schedule", jobs, "--cron", "61 * * * *", "--db", db)
	if code != 2 || !strings.Contains(errOut, `forecast: --cron "61 * * * *": `) {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}
