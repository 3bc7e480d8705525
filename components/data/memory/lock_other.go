//go:build !unix

package memory

import (
	"errors"
	"fmt"
	"os"
)

// lockFile creates file's lock file exclusively, or fails with an
// *InUseError naming the holder. Without flock(2), a lock file left by a
// crash must be removed by hand; the error says whose it was.
func lockFile(file string) (*os.File, error) {
	f, err := os.OpenFile(lockPath(file), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		holder := ""
		if g, err := os.Open(lockPath(file)); err == nil {
			holder = readHolder(g)
			g.Close()
		}
		return nil, &InUseError{File: file, Holder: holder + " (remove the lock file if that process is gone)"}
	}
	if err != nil {
		return nil, fmt.Errorf("memory: lock %s: %w", file, err)
	}
	_, _ = f.WriteAt([]byte(holderInfo()+"\n"), 0)
	return f, nil
}

// unlockFile releases the lock by removing the lock file.
func unlockFile(f *os.File) {
	if f == nil {
		return
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
}
