package inflect_test

import (
	"fmt"
	"testing"

	"github.com/backplane-dev/backplane/internal/inflect"
)

func TestPlural(t *testing.T) {
	for in, want := range map[string]string{
		"Todo": "Todos", "todo-list": "todo-lists", "Address": "Addresses", "Box": "Boxes",
		"Match": "Matches", "Wish": "Wishes", "Category": "Categories", "Day": "Days",
		"Key": "Keys", "y": "ys", "Person": "Persons", "": "s",
	} {
		if got := inflect.Plural(in); got != want {
			t.Errorf("Plural(%q) = %q, want %q", in, got, want)
		}
	}
}

func ExamplePlural() {
	fmt.Println(inflect.Plural("TodoList"), inflect.Plural("category"), inflect.Plural("Box"))
	// Output: TodoLists categories Boxes
}
