package suggest

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Max is the largest number of names [Near] returns.
const Max = 3

// Near returns up to [Max] candidates close to name, best first. A
// candidate equal to name is not a suggestion; duplicates are returned
// once. The result is nil when nothing is close.
func Near(name string, candidates []string) []string {
	n := []rune(Fold(name))
	type scored struct {
		s string
		d int
	}
	var best []scored
	for _, c := range candidates {
		if c == name {
			continue
		}
		fc := []rune(Fold(c))
		d := distance(n, fc)
		if d <= max(1, len(n)/3) && d < max(len(n), len(fc)) || affix(n, fc) {
			best = append(best, scored{c, d})
		}
	}
	if len(best) == 0 {
		return nil
	}
	slices.SortFunc(best, func(a, b scored) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.s, b.s)
	})
	best = slices.CompactFunc(best, func(a, b scored) bool { return a.s == b.s })
	out := make([]string, 0, min(Max, len(best)))
	for _, b := range best[:min(Max, len(best))] {
		out = append(out, b.s)
	}
	return out
}

// DidYouMean phrases suggestions as the end of an error message:
// `did you mean "a"?`, `did you mean "a" or "b"?`,
// `did you mean "a", "b" or "c"?`. It returns "" for none.
func DidYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("did you mean ")
	for i, s := range suggestions {
		switch {
		case i == 0:
		case i == len(suggestions)-1:
			sb.WriteString(" or ")
		default:
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Quote(s))
	}
	sb.WriteByte('?')
	return sb.String()
}

// Fold is the form names are compared in: lower case, without '-' and
// '_'. Configuration keys that fold to the same string are one key.
func Fold(s string) string {
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

// affix reports whether one of a and b starts or ends the other, the
// shorter having three letters or more.
func affix(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 3 {
		return false
	}
	return slices.Equal(a, b[:len(a)]) || slices.Equal(a, b[len(b)-len(a):])
}

// distance is the optimal-string-alignment edit distance: insertion,
// deletion, substitution and transposition of neighbours each cost one.
func distance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
