//go:build unix

package memory

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on file's lock file, or fails with an
// *InUseError naming the holder. The lock is an flock(2): the system
// releases it when the process ends, however it ends, so a crash leaves
// no stale lock.
func lockFile(file string) (*os.File, error) {
	f, err := os.OpenFile(lockPath(file), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("memory: lock %s: %w", file, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &InUseError{File: file, Holder: holder}
		}
		return nil, fmt.Errorf("memory: lock %s: %w", file, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(holderInfo()+"\n"), 0)
	}
	return f, nil
}

// unlockFile releases the lock. The lock file stays: removing it would
// let a process that opened it before the removal lock a file nobody
// else sees.
func unlockFile(f *os.File) {
	if f == nil {
		return
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	f.Close()
}
