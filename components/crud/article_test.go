package crud

import "testing"

func TestIndefiniteArticle(t *testing.T) {
	for name, want := range map[string]string{
		"Todo":          "a todo",
		"Item":          "an item",
		"User":          "a user",
		"UserProfile":   "a user profile",
		"Hour":          "an hour",
		"OneTimeCode":   "a one time code",
		"Order":         "an order",
		"TodoListImage": "a todo list image",
		"EuropeanCity":  "a european city",
		"Umbrella":      "an umbrella",
	} {
		if got := indefinite(name); got != want {
			t.Errorf("indefinite(%q) = %q, want %q", name, got, want)
		}
	}
}
