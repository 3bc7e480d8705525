package memory

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// InUseError is the failure to open a store whose file another store
// holds — another process, or another datasource of this one. A memory
// store's file has one writer: two would hand out the same ids and
// overwrite each other's journal, losing acknowledged writes.
type InUseError struct {
	// File is the store's file.
	File string
	// Holder describes the holder, as it wrote itself into the lock
	// file: "pid 4242 on host web-1 (todo), since 2026-12-03T08:30:00Z".
	Holder string
}

func (e *InUseError) Error() string {
	holder := e.Holder
	if holder == "" {
		holder = "another process"
	}
	return fmt.Sprintf("memory: %s is in use by %s (lock %s). A memory store's file has one writer: stop the other process first "+
		"(a rolling restart must stop the old instance before the new one opens the file), give this datasource a file of its own "+
		"(datasources.<name>.file), or use SQLite or PostgreSQL for several processes", e.File, holder, e.File+".lock")
}

// lockPath is the lock file beside the store's file.
func lockPath(file string) string { return file + ".lock" }

// holderInfo describes this process for the lock file.
func holderInfo() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("pid %d on host %s (%s), since %s", os.Getpid(), host, filepath.Base(os.Args[0]), time.Now().UTC().Format(time.RFC3339))
}

// readHolder reads what the holder wrote into the lock file.
func readHolder(f *os.File) string {
	b := make([]byte, 512)
	n, _ := f.ReadAt(b, 0)
	return strings.TrimSpace(string(b[:n]))
}
