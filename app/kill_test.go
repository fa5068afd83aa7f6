package app_test

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKillDuringWrite kills a real forecast process (SIGKILL) while it is
// writing 300,000 actuals in one transaction, and shows that the database
// then passes PRAGMA integrity_check and holds no trace of the killed run:
// the earlier run is complete, the killed one absent. The test waits for
// an event, not for time: once pages spill into the WAL the writer is in
// its transaction, and it is stopped (SIGSTOP) there, so that it is still
// in it when the sqlite3 shell (if installed) reads the database and when
// it is killed. The shell must read the last committed state without
// waiting for the writer.
func TestKillDuringWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the forecast binary and writes 300,000 rows")
	}
	bin := buildForecast(t)
	dir := filepath.Dir(bin)
	const n = 300000
	big := filepath.Join(dir, "big.csv")
	writeHourly(t, big, n)
	dbPath := filepath.Join(dir, "f.db")

	// A first, complete run of 100 actuals.
	if out, err := exec.Command(bin, "actuals", writeHead(t, big, 100), "--target", "v", "--series-id", "v", "--db", dbPath).CombinedOutput(); err != nil {
		t.Fatalf("first actuals: %v\n%s", err, out)
	}
	shell, _ := exec.LookPath("sqlite3")

	killed := false
	for attempt := 0; attempt < 5 && !killed; attempt++ {
		cmd := exec.Command(bin, "actuals", big, "--target", "v", "--series-id", "v", "--db", dbPath)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		if wal, ok := walSpilled(dbPath, done); ok && cmd.Process.Signal(syscall.SIGSTOP) == nil {
			t.Logf("attempt %d: stopped the writer with %d bytes of uncommitted WAL", attempt+1, wal)
			if shell != "" {
				checkReaderDuringWrite(t, shell, dbPath, done)
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			<-done
			killed = true
		}
		if !killed {
			t.Logf("attempt %d: the process finished before it could be killed", attempt+1)
			// Start again from the first run alone.
			mustExec(t, dbPath, `DELETE FROM actuals WHERE run_id > 1; DELETE FROM runs WHERE id > 1`)
		}
	}
	if !killed {
		t.Fatal("never caught the writer in its transaction")
	}

	db, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check=%q, %v", check, err)
	}
	var runs, actuals, otherRuns int
	if err := db.QueryRow(`SELECT count(*), (SELECT count(*) FROM actuals), (SELECT count(*) FROM actuals WHERE run_id <> 1) FROM runs`).
		Scan(&runs, &actuals, &otherRuns); err != nil {
		t.Fatal(err)
	}
	if runs != 1 || actuals != 100 || otherRuns != 0 {
		t.Fatalf("after the kill: %d runs, %d actuals (%d of other runs); want the first run's 1 and 100", runs, actuals, otherRuns)
	}
	// The database takes the next write.
	if out, err := exec.Command(bin, "actuals", writeHead(t, big, 200), "--target", "v", "--series-id", "v", "--db", dbPath).CombinedOutput(); err != nil {
		t.Fatalf("actuals after the kill: %v\n%s", err, out)
	} else if !strings.Contains(string(out), "stored 100 actuals of v, 0 of them replacing earlier values; 100 recorded already, the same (run 2)") {
		t.Fatalf("actuals after the kill:\n%s", out)
	}
}

// walSpilled waits until the write-ahead log of the database at dbPath
// holds a megabyte, pages the writer spills before its commit, and returns
// its size; ok says whether it did before the writer ended (done closed).
// It looks every millisecond: the event, not the time, decides.
func walSpilled(dbPath string, done <-chan struct{}) (size int64, ok bool) {
	for {
		select {
		case <-done:
			return 0, false
		default:
		}
		if fi, err := os.Stat(dbPath + "-wal"); err == nil && fi.Size() >= 1<<20 {
			return fi.Size(), true
		}
		time.Sleep(time.Millisecond)
	}
}

// checkReaderDuringWrite queries the database with the sqlite3 shell while
// another process, stopped in its transaction, holds the write lock: the
// shell has no busy timeout, so it fails at once if it would have to wait,
// and it must read the committed state. The writer must still be there
// (done open) when the shell has answered.
func checkReaderDuringWrite(t *testing.T, shell, dbPath string, done <-chan struct{}) {
	t.Helper()
	out, err := exec.Command(shell, dbPath, "SELECT count(*) FROM runs; SELECT count(*) FROM actuals;").CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 during a write: %v\n%s", err, out)
	}
	if got, want := string(out), "1\n100\n"; got != want {
		t.Errorf("sqlite3 during a write read %q, want the committed %q", got, want)
	}
	select {
	case <-done:
		t.Fatal("the writer ended before the reader answered; the read proves nothing")
	default:
	}
}

// writeHourly writes a CSV of n hourly values of column v.
func writeHourly(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("date,v\n")
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "%s,%d\n", t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04:05"), i%100)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// mustExec runs SQL on the database at path.
func mustExec(t *testing.T, path, query string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}
