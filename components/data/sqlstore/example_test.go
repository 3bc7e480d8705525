package sqlstore_test

import (
	"fmt"

	"github.com/backplane-dev/backplane/components/data/sqlstore"
)

// Identifiers are quoted, embedded quotes doubled.
func ExampleQuote() {
	fmt.Println(sqlstore.Quote("isComplete"), sqlstore.Quote(`a"b`))
	// Output: "isComplete" "a""b"
}
