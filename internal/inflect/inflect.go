package inflect

import "strings"

// Plural is LoopBack's naïve English plural of a name, in the name's own
// case: "Todo" → "Todos", "Box" → "Boxes", "Category" → "Categories",
// "todo-list" → "todo-lists". Irregular nouns are not known ("Person" →
// "Persons"); a model that needs another path names it.
func Plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}
