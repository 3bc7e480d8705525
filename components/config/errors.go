package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrorKind classifies an [Error].
type ErrorKind uint8

const (
	// UnknownKey: a key inside a section matches no field of the
	// section's Go type.
	UnknownKey ErrorKind = iota + 1
	// UnknownSection: no component reads this top-level section.
	UnknownSection
	// WrongType: a value cannot be decoded into its field's type.
	WrongType
	// Unreadable: a configuration file cannot be read, or its extension
	// names no supported format.
	Unreadable
	// BadOverride: a --set argument or an environment variable name is
	// malformed.
	BadOverride
	// BadTarget: the Go value given to Decode cannot receive
	// configuration (a programmer error: a nil or non-pointer target, a
	// field type that cannot be configured).
	BadTarget
)

func (k ErrorKind) String() string {
	switch k {
	case UnknownKey:
		return "unknown key"
	case UnknownSection:
		return "unknown section"
	case WrongType:
		return "wrong type"
	case Unreadable:
		return "unreadable file"
	case BadOverride:
		return "bad override"
	case BadTarget:
		return "bad target"
	}
	return "error(" + strconv.Itoa(int(k)) + ")"
}

// Error is a configuration problem: the key path, what is wrong, and the
// file (with line) or layer the value came from:
//
//	config: rest.prot: unknown key; did you mean "port"? (in /etc/todo.yaml (line 3))
//
// Several problems found at once are returned joined (errors.Join); use
// errors.As to reach them. A malformed file is a [*SyntaxError] instead.
type Error struct {
	Kind ErrorKind
	// Path is the full dotted key path ("rest.port"), as written in the
	// source; list elements are "rest.origins[2]". Empty for errors about
	// a whole file or argument.
	Path string
	// Msg says what is wrong.
	Msg string
	// Suggestions are near-miss keys, best first (the "did you mean").
	Suggestions []string
	// Origin is where the value came from: "/etc/todo.yaml (line 3)",
	// "environment variable TODO_REST__PORT", "--set rest.port=x",
	// "defaults".
	Origin string
	// Err is the underlying cause, if any.
	Err error
}

func (e *Error) Error() string {
	var sb strings.Builder
	sb.WriteString("config: ")
	if e.Path != "" {
		sb.WriteString(e.Path + ": ")
	}
	sb.WriteString(e.Msg)
	if len(e.Suggestions) > 0 {
		sb.WriteString("; did you mean ")
		for i, s := range e.Suggestions {
			switch {
			case i == 0:
			case i == len(e.Suggestions)-1:
				sb.WriteString(" or ")
			default:
				sb.WriteString(", ")
			}
			sb.WriteString(strconv.Quote(s))
		}
		sb.WriteString("?")
	}
	if e.Origin != "" {
		sb.WriteString(" (in " + e.Origin + ")")
	}
	return sb.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// ExitCode makes configuration errors exit the command line with code 2.
func (e *Error) ExitCode() int { return 2 }

// SyntaxError is a malformed configuration file, with the parser's
// position: `config: app.json:4:3: invalid character '}' ...`. YAML
// parsers report a line only.
type SyntaxError struct {
	File   string
	Line   int // 1-based; 0 when unknown
	Column int // 1-based; 0 when unknown
	Msg    string
}

func (e *SyntaxError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("config: %s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("config: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("config: %s: %s", e.File, e.Msg)
}

// ExitCode makes a malformed file exit the command line with code 2.
func (e *SyntaxError) ExitCode() int { return 2 }

// suggest returns up to three candidates close to name (ignoring case,
// '-' and '_'), best first: within an edit distance of about a third of
// the length (a swap of neighbours counts one), or sharing a prefix of
// three letters or more.
func suggest(name string, candidates []string) []string {
	n := normalize(name)
	type scored struct {
		s string
		d int
	}
	var best []scored
	for _, c := range candidates {
		nc := normalize(c)
		if nc == n {
			continue
		}
		d := osaDistance(n, nc)
		if d <= max(1, min(len(n), len(nc))/3) || (min(len(n), len(nc)) >= 3 && (strings.HasPrefix(nc, n) || strings.HasPrefix(n, nc))) {
			best = append(best, scored{c, d})
		}
	}
	slices.SortFunc(best, func(a, b scored) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.s, b.s)
	})
	best = slices.CompactFunc(best, func(a, b scored) bool { return a.s == b.s })
	out := make([]string, 0, min(3, len(best)))
	for i := 0; i < len(best) && i < 3; i++ {
		out = append(out, best[i].s)
	}
	return out
}

// osaDistance is the optimal-string-alignment edit distance: insertion,
// deletion, substitution and transposition of neighbours each cost one.
func osaDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// normalize folds a key for matching: lower case, without '-' and '_'.
// "maxConns", "max_conns", "MAX-CONNS" and "MAXCONNS" are one key.
func normalize(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '-' || c == '_' || ('A' <= c && c <= 'Z') || c >= utf8.RuneSelf {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r == '-' || r == '_' {
			continue
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return string(b)
}
