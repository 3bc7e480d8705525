package memory

import (
	"errors"
	"os"
)

// Crash stops s as a killed process would: records queued but not yet
// written are lost (their writers get an error), nothing else is
// written, and the journal's file is closed as it is. A compaction under
// way finishes first.
func (s *Store) Crash() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.bg.Wait()
	if s.j == nil {
		return
	}
	j := s.j
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.writing {
		j.cond.Wait()
	}
	if j.err == nil {
		j.err = errors.New("memory: crashed")
	}
	j.f.Close()
	j.cond.Broadcast()
	unlockFile(s.lock) // the system releases a dead process's locks
}

// JournalStats returns the records written to the journal and the write
// calls that carried them.
func (s *Store) JournalStats() (records, writes int64) {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	return int64(s.j.written), s.j.writes
}

// BreakJournal closes the journal's file under the store, so that its
// next write fails.
func (s *Store) BreakJournal() {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	s.j.f.Close()
}

// FailJournalWrites makes the journal's writes fail, as on a full disk,
// while full returns true (a short write first, so that a torn record
// must be cut away).
func (s *Store) FailJournalWrites(full func() bool) {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	s.j.write = func(f *os.File, b []byte) (int, error) {
		if full() {
			n, _ := f.Write(b[:len(b)/2])
			return n, errors.New("no space left on device")
		}
		return f.Write(b)
	}
}
