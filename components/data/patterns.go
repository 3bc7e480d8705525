package data

import (
	"container/list"
	"regexp"
	"regexp/syntax"
	"sync"
)

// PatternCache keeps compiled regular expressions, the most recently
// used first, bounded in entries and in the total compiled size of their
// programs (instructions, as [PatternSize] counts them). A filter's
// like and regexp patterns go through [Patterns] when the filter is
// compiled, and connectors that evaluate patterns themselves (SQLite's
// regexp function, called once per row) use it too, so a pattern a
// client repeats is parsed once, and a stream of distinct patterns
// cannot grow the memory. It is safe for concurrent use.
type PatternCache struct {
	mu         sync.Mutex
	maxEntries int
	maxSize    int
	size       int
	order      *list.List // of *cachedPattern, most recently used first
	byPattern  map[string]*list.Element
}

type cachedPattern struct {
	pattern string
	re      *regexp.Regexp
	size    int
}

// NewPatternCache returns a cache of at most maxEntries patterns whose
// programs hold at most maxSize instructions together.
func NewPatternCache(maxEntries, maxSize int) *PatternCache {
	return &PatternCache{maxEntries: maxEntries, maxSize: maxSize, order: list.New(), byPattern: map[string]*list.Element{}}
}

// Patterns is the process's pattern cache: 512 patterns, 128Ki
// instructions (a few megabytes at most).
var Patterns = NewPatternCache(512, 128<<10)

// Compile returns pattern compiled, and the size of its program. A
// pattern whose program is larger than maxSize (a negative maxSize has
// no bound) is not compiled: Compile returns a nil expression and its
// size, so that a caller refuses it at the cost of a parse. A pattern
// that does not parse returns regexp.Compile's error.
func (c *PatternCache) Compile(pattern string, maxSize int) (*regexp.Regexp, int, error) {
	c.mu.Lock()
	if e, ok := c.byPattern[pattern]; ok {
		c.order.MoveToFront(e)
		p := e.Value.(*cachedPattern)
		c.mu.Unlock()
		if maxSize >= 0 && p.size > maxSize {
			return nil, p.size, nil
		}
		return p.re, p.size, nil
	}
	c.mu.Unlock()
	size, err := PatternSize(pattern)
	if err != nil {
		_, err = regexp.Compile(pattern) // regexp's own wording
		return nil, 0, err
	}
	size = max(size, 1)
	if maxSize >= 0 && size > maxSize {
		return nil, size, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byPattern[pattern]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cachedPattern).re, size, nil
	}
	c.byPattern[pattern] = c.order.PushFront(&cachedPattern{pattern: pattern, re: re, size: size})
	c.size += size
	// Evict down to the bounds, but keep the pattern just added even
	// when it alone is over the cache's size (limits turned off): a
	// connector that evaluates it per row asks for it again at once.
	for c.order.Len() > 1 && (c.order.Len() > c.maxEntries || c.size > c.maxSize) {
		last := c.order.Back()
		old := last.Value.(*cachedPattern)
		c.order.Remove(last)
		delete(c.byPattern, old.pattern)
		c.size -= old.size
	}
	return re, size, nil
}

// Len returns the number of cached patterns and the total size of their
// programs.
func (c *PatternCache) Len() (entries, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.size
}

// PatternSize returns the compiled size of a Go regular expression: the
// number of instructions of its program, the measure of
// [Limits.MaxPatternSize]. It returns an error for a pattern that does
// not parse.
func PatternSize(pattern string) (int, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, err
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return 0, err
	}
	return len(prog.Inst), nil
}
