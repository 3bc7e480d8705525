package logging

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
)

// switchHandler is the application's log handler: what it writes to is
// chosen when the configuration is read ([root.set]), and loggers made
// before that (with With or WithGroup) follow the switch.
type switchHandler struct {
	root *root
	ops  []op // With / WithGroup since the root, applied to its handler
	memo atomic.Pointer[memo]
}

type op struct {
	attrs []slog.Attr
	group string
}

type memo struct {
	gen uint64
	h   slog.Handler
}

// root holds the handler every switchHandler derives from and the
// functions that add attributes from a record's context.
type root struct {
	gen   atomic.Uint64
	h     atomic.Pointer[slog.Handler]
	attrs atomic.Pointer[[]ContextAttrs]
}

func (r *root) set(h slog.Handler) {
	r.h.Store(&h)
	r.gen.Add(1)
}

var _ slog.Handler = (*switchHandler)(nil)

// handler returns the current root handler with this handler's ops
// applied, cached until the root changes.
func (s *switchHandler) handler() slog.Handler {
	gen := s.root.gen.Load()
	if m := s.memo.Load(); m != nil && m.gen == gen {
		return m.h
	}
	h := *s.root.h.Load()
	for _, o := range s.ops {
		if o.group != "" {
			h = h.WithGroup(o.group)
		} else {
			h = h.WithAttrs(o.attrs)
		}
	}
	s.memo.Store(&memo{gen: gen, h: h})
	return h
}

func (s *switchHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return s.handler().Enabled(ctx, l)
}

// attrBuffers are the buffers [switchHandler.Handle] hands the
// [ContextAttrs], so that a record costs no allocation of its own.
var attrBuffers = sync.Pool{New: func() any { b := make([]slog.Attr, 0, 8); return &b }}

// Handle adds what the record's context carries (the request id, and
// what the [ContextAttrs] give: a trace id) unless the record has a
// value for that key already, then hands the record on.
func (s *switchHandler) Handle(ctx context.Context, r slog.Record) error {
	if fns := s.root.attrs.Load(); fns != nil && len(*fns) > 0 && ctx != nil {
		bp := attrBuffers.Get().(*[]slog.Attr)
		attrs := (*bp)[:0]
		for _, fn := range *fns {
			attrs = fn(ctx, attrs)
		}
		// Keep only the keys the record lacks, then add them at once
		// (the record grows once).
		kept := attrs[:0]
		for _, a := range attrs {
			if !hasAttr(r, a.Key) {
				kept = append(kept, a)
			}
		}
		r.AddAttrs(kept...)
		clear(attrs)
		*bp = attrs[:0]
		attrBuffers.Put(bp)
	}
	return s.handler().Handle(ctx, r)
}

func hasAttr(r slog.Record, key string) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == key
		return !found
	})
	return found
}

func (s *switchHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return s
	}
	return &switchHandler{root: s.root, ops: append(s.ops[:len(s.ops):len(s.ops)], op{attrs: attrs})}
}

func (s *switchHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return s
	}
	return &switchHandler{root: s.root, ops: append(s.ops[:len(s.ops):len(s.ops)], op{group: name})}
}
