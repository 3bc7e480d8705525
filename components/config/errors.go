package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/backplane-dev/backplane/internal/suggest"
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
	// LockedKey: a file, the environment or --set changes a key the
	// application locked (config.Lock).
	LockedKey
	// UnsetVariable: a file's value names an environment variable
	// (${NAME}) that is not set, or a reference is malformed.
	UnsetVariable
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
	case LockedKey:
		return "locked key"
	case UnsetVariable:
		return "unset variable"
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
		sb.WriteString("; " + suggest.DidYouMean(e.Suggestions))
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

// normalize folds a key for matching: lower case, without '-' and '_'.
// "maxConns", "max_conns", "MAX-CONNS" and "MAXCONNS" are one key.
func normalize(s string) string { return suggest.Fold(s) }
