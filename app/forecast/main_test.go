package main

import (
	"database/sql"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestMainProcess runs main with the arguments in FORECAST_MAIN (split at
// unit separators), as TestClosedStdout starts it in a process of its own.
func TestMainProcess(t *testing.T) {
	args := os.Getenv("FORECAST_MAIN")
	if args == "" {
		t.Skip("run as a process by TestClosedStdout")
	}
	os.Args = append([]string{"forecast"}, strings.Split(args, "\x1f")...)
	main()
}

// TestClosedStdout: a fit whose output goes to a pipe nobody reads (batch
// | head -1, once head has exited) finishes its work and stores it; the
// first write used to kill it by SIGPIPE, leaving nothing stored. Read
// commands whose reader has gone end quietly with exit 0.
func TestClosedStdout(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("step,load\n")
	for i := range 200 {
		fmt.Fprintf(&b, "%d,%.3f\n", i, 10+math.Sin(float64(i)/3))
	}
	data := filepath.Join(dir, "load.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "f.db")
	args := []string{"fit", data, "--target", "load", "--db", db, "--lookback", "8", "--horizon", "4", "--season", "1",
		"--hidden", "4", "--epochs", "1", "--ensemble", "1", "--window-norm", "none", "--transform", "none", "--fallback", "none"}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // nobody reads
	defer w.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMainProcess$")
	cmd.Env = append(os.Environ(), "FORECAST_MAIN="+strings.Join(args, "\x1f"))
	cmd.Stdout = w
	var errOut strings.Builder
	cmd.Stderr = &errOut
	err = cmd.Run()
	if err != nil {
		t.Fatalf("fit with its output to a closed pipe: %v\n%s", err, errOut.String())
	}
	// A read command piped to head ends quietly once head has its lines:
	// no "broken pipe" error and exit 0, as cat or sqlite3 would.
	for _, read := range [][]string{{"forecasts", "--db", db}, {"models", "list", "--db", db}, {"forecasts", "--db", db, "--format", "json"}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMainProcess$")
		cmd.Env = append(os.Environ(), "FORECAST_MAIN="+strings.Join(read, "\x1f"))
		cmd.Stdout = w
		var readErr strings.Builder
		cmd.Stderr = &readErr
		if err := cmd.Run(); err != nil || strings.Contains(readErr.String(), "forecast:") {
			t.Errorf("%s with its output to a closed pipe: %v\n%s", strings.Join(read, " "), err, readErr.String())
		}
	}
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var versions int
	if err := conn.QueryRow(`SELECT count(*) FROM model_versions`).Scan(&versions); err != nil || versions != 1 {
		t.Fatalf("%d model versions stored (%v), want 1\n%s", versions, err, errOut.String())
	}
}
