package sqlite

import (
	"container/list"
	"regexp"
	"regexp/syntax"
	"sync"
)

// patternCache is an LRU cache of compiled regular expressions, bounded
// in entries and in the total size of their programs (instructions). It
// is safe for concurrent use.
type patternCache struct {
	mu         sync.Mutex
	maxEntries int
	maxSize    int
	size       int
	order      *list.List // of *cached, most recently used first
	byPattern  map[string]*list.Element
}

type cached struct {
	pattern string
	re      *regexp.Regexp
	size    int
}

func newPatternCache(maxEntries, maxSize int) *patternCache {
	return &patternCache{maxEntries: maxEntries, maxSize: maxSize, order: list.New(), byPattern: map[string]*list.Element{}}
}

// get returns the compiled pattern, compiling and caching it on a miss.
func (c *patternCache) get(pattern string) (*regexp.Regexp, error) {
	c.mu.Lock()
	if e, ok := c.byPattern[pattern]; ok {
		c.order.MoveToFront(e)
		re := e.Value.(*cached).re
		c.mu.Unlock()
		return re, nil
	}
	c.mu.Unlock()
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	size := programSize(pattern)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byPattern[pattern]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cached).re, nil
	}
	c.byPattern[pattern] = c.order.PushFront(&cached{pattern: pattern, re: re, size: size})
	c.size += size
	// Evict down to the bounds, but keep the pattern just added even
	// when it alone is over maxSize (limits turned off): the statement
	// using it calls again for every row.
	for c.order.Len() > 1 && (c.order.Len() > c.maxEntries || c.size > c.maxSize) {
		last := c.order.Back()
		old := last.Value.(*cached)
		c.order.Remove(last)
		delete(c.byPattern, old.pattern)
		c.size -= old.size
	}
	return re, nil
}

// len returns the number of cached patterns and their total size.
func (c *patternCache) len() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.size
}

// programSize is the number of instructions of pattern's program (as
// data.PatternSize counts), at least 1.
func programSize(pattern string) int {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 1
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return 1
	}
	return max(len(prog.Inst), 1)
}
