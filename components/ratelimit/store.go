package ratelimit

import (
	"container/list"
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Store keeps the buckets. Take takes one token from key's bucket, made
// with limit l on first use. The memory store ([NewMemoryStore]) is the
// default; a store shared by several instances of an application (on a
// database, say) makes the limit hold across them.
type Store interface {
	Take(ctx context.Context, key string, l Limit) (Result, error)
}

// Result is a store's answer.
type Result struct {
	// Allowed: the request may go on.
	Allowed bool
	// Remaining is what the bucket holds after this request.
	Remaining int
	// RetryAfter is how long until a token is there, when not Allowed.
	RetryAfter time.Duration
	// Reset is how long until the bucket is full again.
	Reset time.Duration
}

// MemoryStore keeps token buckets (golang.org/x/time/rate) in memory,
// at most a given number of them: the least recently used goes first, so a flood
// of distinct clients costs bounded memory (a client evicted starts
// again with a full bucket).
type MemoryStore struct {
	mu    sync.Mutex
	max   int
	items map[string]*list.Element
	lru   list.List // front: most recently used
	now   func() time.Time
}

type bucket struct {
	key string
	lim *rate.Limiter
	l   Limit
}

// NewMemoryStore returns a store of at most size buckets (1 or more).
func NewMemoryStore(size int) *MemoryStore {
	return &MemoryStore{max: max(size, 1), items: map[string]*list.Element{}, now: time.Now}
}

// Len is the number of buckets held.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

// Take implements [Store].
func (s *MemoryStore) Take(_ context.Context, key string, l Limit) (Result, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var b *bucket
	if e, ok := s.items[key]; ok {
		s.lru.MoveToFront(e)
		b = e.Value.(*bucket)
		if b.l != l {
			b.lim.SetLimitAt(now, rate.Limit(l.Rate))
			b.lim.SetBurstAt(now, l.Burst)
			b.l = l
		}
	} else {
		if len(s.items) >= s.max {
			old := s.lru.Back()
			s.lru.Remove(old)
			delete(s.items, old.Value.(*bucket).key)
		}
		b = &bucket{key: key, lim: rate.NewLimiter(rate.Limit(l.Rate), l.Burst), l: l}
		s.items[key] = s.lru.PushFront(b)
	}
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return Result{RetryAfter: time.Second}, nil
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return Result{RetryAfter: d, Reset: reset(b.lim, now, l)}, nil
	}
	return Result{Allowed: true, Remaining: int(math.Max(0, math.Floor(b.lim.TokensAt(now)))), Reset: reset(b.lim, now, l)}, nil
}

// reset is how long the bucket takes to fill again.
func reset(lim *rate.Limiter, now time.Time, l Limit) time.Duration {
	missing := float64(l.Burst) - lim.TokensAt(now)
	if missing <= 0 || l.Rate <= 0 {
		return 0
	}
	return time.Duration(missing / l.Rate * float64(time.Second))
}
