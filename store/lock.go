package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
)

// ErrLocked means a lock is held by another live process.
var ErrLocked = errors.New("locked")

// Heartbeat and StaleAfter govern locks: a holder refreshes its lock every
// Heartbeat, and a lock not refreshed for StaleAfter is stale, as is one
// whose process is gone from this host.
const (
	Heartbeat  = 10 * time.Second
	StaleAfter = 6 * Heartbeat
)

// Lock is a named lock held in the database (the locks table) by this
// process, e.g. "batch" while a batch writes. It refreshes itself every
// Heartbeat until Unlock.
type Lock struct {
	Name      string
	Owner     string // a token unique to this holder
	TookStale string // the holder of the stale lock it took over, or ""

	db   *DB
	stop chan struct{}
	done sync.WaitGroup
}

// lockHolder is a row of the locks table.
type lockHolder struct {
	owner, host, command string
	pid                  int
	acquired, heartbeat  time.Time
}

// live reports whether the holder still holds its lock at now, seen from
// host: its heartbeat is recent and, on this host, its process runs.
func (h lockHolder) live(host string, now time.Time) bool {
	return !(h.host == host && !processAlive(h.pid)) && now.Sub(h.heartbeat) < StaleAfter
}

func (h lockHolder) String() string {
	return fmt.Sprintf("forecast %s (pid %d on %s, since %s)", h.command, h.pid, h.host, h.acquired.Format(time.RFC3339))
}

// Lock takes the lock called name for command, waiting up to wait for a
// live holder to release it, checking every poll. A stale lock (see
// StaleAfter) is taken over, and Lock.TookStale says whose it was. If a live
// process still holds it after wait, Lock returns an error wrapping
// ErrLocked that names the holder.
func (db *DB) Lock(ctx context.Context, name, command string, wait, poll time.Duration) (*Lock, error) {
	host, _ := os.Hostname()
	token := make([]byte, 8)
	if _, err := rand.Read(token); err != nil {
		return nil, err
	}
	l := &Lock{Name: name, Owner: fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(token)), db: db}
	deadline := time.Now().Add(wait)
	for {
		holder, err := db.tryLock(ctx, l, host, command)
		if err != nil {
			return nil, err
		}
		if holder == nil {
			break
		}
		if !time.Now().Before(deadline) {
			return nil, errorf(ErrLocked, "database %s is in use by %s; try again when it has finished", db.Path, holder)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(poll):
		}
	}
	l.stop = make(chan struct{})
	l.done.Add(1)
	go l.beat()
	return l, nil
}

// stoppedJob is the error of a batch job found running when the batch lock
// is taken: its batch was stopped before the job finished.
const stoppedJob = "unfinished: the batch was stopped before this job finished"

// tryLock takes the lock for l if it is free or stale, and otherwise returns
// its live holder.
func (db *DB) tryLock(ctx context.Context, l *Lock, host, command string) (*lockHolder, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, db.formatError(err)
	}
	defer tx.Rollback()

	var h lockHolder
	var acquired, beat string
	err = tx.QueryRowContext(ctx, `
		SELECT owner, host, pid, command, acquired_at, heartbeat_at FROM locks WHERE name = ?`, l.Name).
		Scan(&h.owner, &h.host, &h.pid, &h.command, &acquired, &beat)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, db.formatError(err)
	default:
		if h.acquired, err = parseTime(acquired); err != nil {
			return nil, fmt.Errorf("lock %q: acquired_at: %w", l.Name, err)
		}
		if h.heartbeat, err = parseTime(beat); err != nil {
			return nil, fmt.Errorf("lock %q: heartbeat_at: %w", l.Name, err)
		}
		if h.live(host, tx.now) {
			return &h, nil
		}
		l.TookStale = h.String()
	}
	if l.Name == "batch" {
		// Only the holder of the batch lock runs jobs: a job still running
		// now was stopped with its process (killed, or its machine lost).
		if _, err := tx.ExecContext(ctx, `UPDATE batch_jobs SET status = 'failed', error = ? WHERE status = 'running'`, stoppedJob); err != nil {
			return nil, db.formatError(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO locks (name, owner, host, pid, command, acquired_at, heartbeat_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid,
			command = excluded.command, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
		l.Name, l.Owner, host, os.Getpid(), command, formatTime(tx.now), formatTime(tx.now)); err != nil {
		return nil, db.formatError(err)
	}
	return nil, db.formatError(tx.Commit())
}

// beat refreshes the lock every Heartbeat until Unlock. A failed refresh is
// tried again at the next beat.
func (l *Lock) beat() {
	defer l.done.Done()
	t := time.NewTicker(Heartbeat)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.db.db.ExecContext(context.Background(), `UPDATE locks SET heartbeat_at = ? WHERE name = ? AND owner = ?`,
				formatTime(l.db.now()), l.Name, l.Owner)
		}
	}
}

// Unlock releases the lock, unless another process took it over meanwhile
// as stale.
func (l *Lock) Unlock(ctx context.Context) error {
	close(l.stop)
	l.done.Wait()
	_, err := l.db.db.ExecContext(context.WithoutCancel(ctx), `DELETE FROM locks WHERE name = ? AND owner = ?`, l.Name, l.Owner)
	return l.db.formatError(err)
}

// processAlive reports whether a process pid runs on this host.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
