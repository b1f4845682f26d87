//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package migrate

import (
	"errors"
	"os"
)

var errNoFileLock = errors.New("file locks are not supported on this platform")

func tryLockFile(*os.File) (bool, error) { return false, errNoFileLock }

func unlockFile(*os.File) error { return errNoFileLock }
