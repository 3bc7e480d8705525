package memory

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// journal is the append-only file beside the snapshot. Writers queue
// their encoded records (in the order their changes were made, since
// they queue under the store's write lock) and wait; whichever waiting
// writer finds nobody writing becomes the leader and writes everything
// queued in one write(2), then wakes the others. So concurrent writers
// share system calls, and a write is acknowledged only once its record
// and every record before it are in the file.
type journal struct {
	path string

	mu      sync.Mutex
	cond    sync.Cond
	f       *os.File
	pending []byte // records queued, not yet written
	spare   []byte // the buffer the last leader wrote, reused
	queued  uint64 // sequence number of the last record queued
	written uint64 // sequence number of the last record in the file
	writing bool   // a leader is writing, without mu
	size    int64  // bytes in the file
	writes  int64  // write calls made, for the benchmarks
	err     error  // a failed write: the journal takes no more records until reset
	dropped uint64 // records up to this sequence number were discarded by a reset

	write func(f *os.File, b []byte) (int, error) // nil: f.Write; tests replace it

	capturing bool   // a compaction is running: keep a copy of what is written
	tail      []byte // what was written since the compaction took its copy
}

// openJournal creates (or truncates) the journal at path.
func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	j := &journal{path: path, f: f}
	j.cond.L = &j.mu
	return j, nil
}

// fail stops the journal with err (unless it has stopped already).
func (j *journal) fail(err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err == nil {
		j.err = err
	}
}

// failed returns the error that stopped the journal, if any.
func (j *journal) failed() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

// enqueue queues rec (one or more complete lines) and returns its
// sequence number and the size of the file so far. The caller holds the
// store's write lock, which orders records as their changes.
func (j *journal) enqueue(rec []byte) (seq uint64, size int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pending = append(j.pending, rec...)
	j.queued++
	return j.queued, j.size
}

// wait returns once record seq is in the file, writing the queue itself
// when no other writer is doing so, or the error that stopped the
// journal before it got there.
func (j *journal) wait(seq uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.written < seq || seq <= j.dropped {
		if seq <= j.dropped {
			return errDropped
		}
		if j.err != nil {
			return j.err
		}
		if j.writing {
			j.cond.Wait()
			continue
		}
		j.flushLocked()
	}
	return nil
}

// errDropped is the error of a write whose journal record was discarded
// after a failed journal write: its change was undone.
var errDropped = errors.New("memory: the journal could not be written (is the disk full?); the change was undone")

// reset makes a failed journal writable again: the file is cut back to
// the last complete write (a short write may have left part of a
// record), reopened, and every record not yet written is dropped — their
// writers get errDropped, and the store undoes their changes by reloading
// the file. It fails, leaving the journal failed, when the file cannot
// be cut or opened, or while a compaction is capturing.
func (j *journal) reset() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.writing {
		j.cond.Wait()
	}
	if j.err == nil {
		return nil
	}
	if j.capturing {
		return j.err
	}
	j.f.Close()
	if err := os.Truncate(j.path, j.size); err != nil {
		return fmt.Errorf("memory: %s: %w", j.path, err)
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("memory: %s: %w", j.path, err)
	}
	j.f = f
	j.err = nil
	j.dropped = j.queued
	j.written = j.queued
	j.pending = j.pending[:0]
	j.cond.Broadcast()
	return nil
}

// drain writes everything queued. The caller holds the store's write
// lock, so nothing is queued meanwhile.
func (j *journal) drain() error {
	j.mu.Lock()
	seq := j.queued
	done := seq <= j.dropped // nothing queued since a reset
	j.mu.Unlock()
	if done {
		return j.failed()
	}
	return j.wait(seq)
}

// flushLocked writes the queue as the leader. It is called with j.mu
// held and releases it during the write.
func (j *journal) flushLocked() {
	// Lead, then yield once before taking the queue: writers that are
	// ready to run queue their records meanwhile and share this write.
	j.writing = true
	j.mu.Unlock()
	runtime.Gosched()
	j.mu.Lock()
	buf, upto := j.pending, j.queued
	j.pending = j.spare[:0]
	j.mu.Unlock()
	var err error
	if j.write != nil {
		_, err = j.write(j.f, buf)
	} else {
		_, err = j.f.Write(buf)
	}
	j.mu.Lock()
	j.writing = false
	if err != nil {
		j.err = fmt.Errorf("memory: %s: %w", j.path, err)
	} else {
		j.written = upto
		j.size += int64(len(buf))
		j.writes++
		if j.capturing {
			j.tail = append(j.tail, buf...)
		}
	}
	if cap(buf) <= 1<<20 {
		j.spare = buf[:0]
	} else {
		j.spare = nil // a burst's large buffer is not kept
	}
	j.cond.Broadcast()
}

// capture starts keeping what is written, for a compaction that has
// just taken its copy of the store. The caller holds the store's write
// lock and has drained the queue.
func (j *journal) capture() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.capturing = true
	j.tail = nil
}

// uncapture stops keeping what is written (a compaction gave up).
func (j *journal) uncapture() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.capturing = false
	j.tail = nil
}

// cut replaces the journal with the records written since capture: the
// rest is in the snapshot just written. The new file is written beside
// the journal and renamed over it, so a crash leaves either journal,
// each consistent with the new snapshot. The caller holds the store's
// write lock and has drained the queue.
func (j *journal) cut() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	tail := j.tail
	j.capturing = false
	j.tail = nil
	if j.err != nil {
		return j.err
	}
	tmp, err := os.CreateTemp(filepath.Dir(j.path), filepath.Base(j.path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(tail); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	// Close the journal before renaming over it (some systems refuse to
	// replace an open file), and reopen whichever file is the journal.
	j.f.Close()
	renamed := os.Rename(tmp.Name(), j.path)
	if renamed != nil {
		os.Remove(tmp.Name())
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		j.err = fmt.Errorf("memory: %s: %w", j.path, err)
		return j.err
	}
	j.f = f
	if renamed != nil {
		return renamed
	}
	j.size = int64(len(tail))
	return nil
}

// close closes the file; remove also deletes it (its records are all in
// the snapshot). The caller has drained the queue.
func (j *journal) close(remove bool) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	err := j.f.Close()
	if j.err == nil {
		j.err = errClosed
	}
	if remove && err == nil {
		err = os.Remove(j.path)
	}
	return err
}

// length returns the size of the file.
func (j *journal) length() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.size
}
