package logging

import (
	"bufio"
	"errors"
	"io"
	"sync"
	"time"
)

// bufferSize is the buffer of a buffered output ([Config.FlushInterval]):
// a record that does not fit flushes it at once.
const bufferSize = 64 << 10

// bufferedWriter writes records into a buffer that a goroutine flushes
// every interval: one write system call per interval instead of one
// per record. Records still in the buffer when the process dies are
// lost; Close flushes them.
type bufferedWriter struct {
	mu     sync.Mutex
	buf    *bufio.Writer
	under  io.Writer
	closer io.Closer // the file, when the output is one
	stop   chan struct{}
	done   chan struct{}
}

func newBufferedWriter(w io.Writer, closer io.Closer, every time.Duration) *bufferedWriter {
	b := &bufferedWriter{buf: bufio.NewWriterSize(w, bufferSize), under: w, closer: closer,
		stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(every)
	return b
}

func (b *bufferedWriter) flushEvery(every time.Duration) {
	defer close(b.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.mu.Lock()
			_ = b.buf.Flush()
			b.mu.Unlock()
		case <-b.stop:
			return
		}
	}
}

// Write buffers p (slog writes one record per call).
func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Close stops the flusher, flushes what is buffered and closes the file.
func (b *bufferedWriter) Close() error {
	close(b.stop)
	<-b.done
	b.mu.Lock()
	err := b.buf.Flush()
	b.mu.Unlock()
	if b.closer != nil {
		err = errors.Join(err, b.closer.Close())
	}
	return err
}
