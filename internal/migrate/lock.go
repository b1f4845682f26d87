package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/pressly/goose/v3/lock"
)

// advisoryKey is the PostgreSQL advisory lock held while migrating:
// "jarchy", the key jarchy's first runner locked too.
const advisoryKey int64 = 0x6a6172636879

// PostgresLock returns goose's session-level advisory lock on advisoryKey.
// A node that finds it taken tries again every second, for up to ten
// minutes; the lock dies with its connection if the holder does. Take a new
// one for each run: in goose v3.29 a locker's ten minutes are shared by all
// its calls.
func PostgresLock() lock.SessionLocker {
	l, err := lock.NewPostgresSessionLocker(lock.WithLockID(advisoryKey), lock.WithLockTimeout(1, 600))
	if err != nil {
		panic(err) // constant options
	}
	return l
}

// FileLock returns a lock for runs on one SQLite database: an exclusive
// lock on the file at path (created if needed; the kernel releases it if the
// process dies). SQLite holds no lock beyond a transaction, and each
// migration commits its own. A FileLock holds one session at a time.
func FileLock(path string) lock.SessionLocker {
	return &fileLock{path: path}
}

type fileLock struct {
	path string
	f    *os.File
}

// waitLogAfter is how long a run waits for another before it says so.
const waitLogAfter = 2 * time.Second

func (l *fileLock) SessionLock(ctx context.Context, _ *sql.Conn) error {
	if l.f != nil {
		return errors.New("migration lock is already held")
	}
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("open lock file: %w", err)
	}
	start, said := time.Now(), false
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		ok, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return fmt.Errorf("lock %s: %w", l.path, err)
		}
		if ok {
			l.f = f
			return nil
		}
		if !said && time.Since(start) > waitLogAfter {
			slog.Info("migrate: waiting for another process to finish migrating", "lock", l.path)
			said = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return fmt.Errorf("lock %s: %w", l.path, ctx.Err())
		case <-time.After(pause):
		}
	}
}

func (l *fileLock) SessionUnlock(context.Context, *sql.Conn) error {
	f := l.f
	if f == nil {
		return errors.New("migration lock is not held")
	}
	l.f = nil
	return errors.Join(unlockFile(f), f.Close())
}
