package lifecycle

import (
	"context"
	"log/slog"
	"time"
)

// EventKind says what happened to an observer.
type EventKind uint8

const (
	Initialized EventKind = iota + 1 // Init returned
	Started                          // Start returned
	Stopped                          // Stop returned
	RolledBack                       // a failed start stopped an observer that had started
)

func (k EventKind) String() string {
	switch k {
	case Initialized:
		return "initialized"
	case Started:
		return "started"
	case Stopped:
		return "stopped"
	case RolledBack:
		return "rolled back"
	}
	return "unknown"
}

// Event reports one observer step, with how long it took and its error.
type Event struct {
	Kind     EventKind
	Observer string
	Group    string
	Duration time.Duration
	Err      error
}

// Sink receives lifecycle events. Implementations must be safe for
// concurrent use: observers of one group run in parallel.
type Sink interface {
	Event(Event)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(Event)

// Event calls f.
func (f SinkFunc) Event(e Event) { f(e) }

type nopSink struct{}

func (nopSink) Event(Event) {}

// NopSink discards events. It is the default.
var NopSink Sink = nopSink{}

// SlogSink writes each event to l: at Debug level on success, at Error
// level on failure.
func SlogSink(l *slog.Logger) Sink { return slogSink{l} }

type slogSink struct{ l *slog.Logger }

func (s slogSink) Event(e Event) {
	level := slog.LevelDebug
	attrs := []slog.Attr{
		slog.String("observer", e.Observer),
		slog.String("group", e.Group),
		slog.Duration("duration", e.Duration),
	}
	if e.Err != nil {
		level = slog.LevelError
		attrs = append(attrs, slog.Any("error", e.Err))
	}
	s.l.LogAttrs(context.Background(), level, "lifecycle: observer "+e.Kind.String(), attrs...)
}
