package postgres

import (
	"fmt"
	"regexp/syntax"
	"strings"
	"unicode"
)

// PostgreSQL's regular expressions are not Go's. The same text can mean
// something else (\b is a backspace there, a word boundary here), some of
// Go's syntax is refused (\z, \pL, a{300}), and its engine compiles
// counted repetitions in time that grows faster than their size (19 s
// for "(?:(?:a|a?){1,150}){1,5}c"). So a pattern never reaches
// PostgreSQL as the client wrote it: it is parsed by Go (as the memory
// and SQLite connectors run it), simplified (counted repetitions
// expanded, within the datasource's maxPatternSize), and written out in
// the part of PostgreSQL's syntax (ARE) whose meaning is the same:
// non-capturing groups, *, + and ?, bracket expressions of \u escapes,
// ^ and $ on the whole text, lookaround for line and word boundaries,
// case folding expanded into brackets. A pattern thus matches the same
// rows on every connector, in time bounded by its compiled size.

// translateRegexp returns the ARE equivalent of the Go pattern pat (with
// case folded when fold).
func translateRegexp(pat string, fold bool) (string, error) {
	flags := syntax.Perl
	if fold {
		flags |= syntax.FoldCase
	}
	re, err := syntax.Parse(pat, flags)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	writeARE(&b, re.Simplify())
	return b.String(), nil
}

// wordClass is Go's \w, for word boundaries.
const wordClass = `[0-9A-Z_a-z]`

func writeARE(b *strings.Builder, re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpNoMatch:
		b.WriteString(`(?!)`)
	case syntax.OpEmptyMatch:
		b.WriteString(`(?:)`)
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && foldable(r) {
				b.WriteByte('[')
				for f := r; ; {
					writeRune(b, f)
					if f = unicode.SimpleFold(f); f == r {
						break
					}
				}
				b.WriteByte(']')
				continue
			}
			writeRune(b, r)
		}
	case syntax.OpCharClass:
		writeClass(b, re.Rune)
	case syntax.OpAnyCharNotNL:
		b.WriteString(`[^\u000a]`)
	case syntax.OpAnyChar:
		b.WriteString(`.`) // not newline-sensitive: . matches a newline
	case syntax.OpBeginLine:
		b.WriteString(`(?:^|(?<=\u000a))`)
	case syntax.OpEndLine:
		b.WriteString(`(?:$|(?=\u000a))`)
	case syntax.OpBeginText:
		b.WriteString(`^`)
	case syntax.OpEndText:
		b.WriteString(`$`)
	case syntax.OpWordBoundary:
		b.WriteString(`(?:(?<=` + wordClass + `)(?!` + wordClass + `)|(?<!` + wordClass + `)(?=` + wordClass + `))`)
	case syntax.OpNoWordBoundary:
		b.WriteString(`(?:(?<=` + wordClass + `)(?=` + wordClass + `)|(?<!` + wordClass + `)(?!` + wordClass + `))`)
	case syntax.OpCapture:
		b.WriteString(`(?:`)
		writeARE(b, re.Sub[0])
		b.WriteString(`)`)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		// Greedy or not, the same texts match: the difference is only
		// which match is reported, and ~ reports none.
		writeAtom(b, re.Sub[0])
		b.WriteString(map[syntax.Op]string{syntax.OpStar: "*", syntax.OpPlus: "+", syntax.OpQuest: "?"}[re.Op])
	case syntax.OpRepeat:
		// Simplify leaves none; expand here too, for safety.
		for range re.Min {
			writeAtom(b, re.Sub[0])
		}
		if re.Max < 0 {
			writeAtom(b, re.Sub[0])
			b.WriteString("*")
		}
		for range max(re.Max-re.Min, 0) {
			writeAtom(b, re.Sub[0])
			b.WriteString("?")
		}
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if s.Op == syntax.OpAlternate {
				writeAtom(b, s)
				continue
			}
			writeARE(b, s)
		}
	case syntax.OpAlternate:
		for i, s := range re.Sub {
			if i > 0 {
				b.WriteByte('|')
			}
			writeARE(b, s)
		}
	default:
		panic(fmt.Sprintf("postgres: regexp op %v", re.Op))
	}
}

// writeAtom writes re as one atom, grouped when it is more than one.
func writeAtom(b *strings.Builder, re *syntax.Regexp) {
	switch {
	case re.Op == syntax.OpCharClass, re.Op == syntax.OpAnyChar, re.Op == syntax.OpAnyCharNotNL,
		re.Op == syntax.OpLiteral && len(re.Rune) == 1 && !(re.Flags&syntax.FoldCase != 0 && foldable(re.Rune[0])):
		writeARE(b, re)
	case re.Op == syntax.OpLiteral && len(re.Rune) == 1:
		writeARE(b, re) // a folded rune is one bracket
	default:
		b.WriteString(`(?:`)
		writeARE(b, re)
		b.WriteString(`)`)
	}
}

// foldable reports whether r has other cases.
func foldable(r rune) bool { return unicode.SimpleFold(r) != r }

// writeClass writes a class of rune ranges as a bracket expression. A
// text in PostgreSQL never holds NUL, so ranges start at 1; an empty
// class matches nothing.
func writeClass(b *strings.Builder, ranges []rune) {
	var rs []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := max(ranges[i], 1), ranges[i+1]
		if lo <= hi {
			rs = append(rs, lo, hi)
		}
	}
	if len(rs) == 0 {
		b.WriteString(`(?!)`)
		return
	}
	b.WriteByte('[')
	for i := 0; i < len(rs); i += 2 {
		writeRune(b, rs[i])
		if rs[i+1] != rs[i] {
			b.WriteByte('-')
			writeRune(b, rs[i+1])
		}
	}
	b.WriteByte(']')
}

// writeRune writes r as itself when it is an ASCII letter or digit, else
// as a \u or \U escape, which means the same inside and outside
// brackets.
func writeRune(b *strings.Builder, r rune) {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		b.WriteRune(r)
	case r <= 0xFFFF:
		fmt.Fprintf(b, `\u%04x`, r)
	default:
		fmt.Fprintf(b, `\U%08x`, r)
	}
}
