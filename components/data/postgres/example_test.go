package postgres_test

import (
	"fmt"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/postgres"
	"github.com/backplane-dev/backplane/components/data/sqlstore"
)

// The SQL a filter becomes on PostgreSQL.
func ExampleDialect() {
	type Todo struct {
		ID    int64  `json:"id" data:"id,generated"`
		Title string `json:"title"`
	}
	m, _ := data.ModelOf[Todo]()
	f, _ := data.ParseFilter(`{"where":{"title":{"ilike":"%MILK%"},"id":{"inq":[1,2]}},"order":"title DESC","skip":10}`)
	q, _ := m.Compile(f, false)
	sql, args := sqlstore.SelectSQL(postgres.Dialect{}, "", q)
	fmt.Println(sql)
	fmt.Println(args)
	// Output:
	// SELECT "id", "title" FROM "todo" WHERE ("id" IN ($1, $2) AND "title" ILIKE $3 ESCAPE '\') ORDER BY "title" DESC NULLS LAST, "id" ASC NULLS FIRST OFFSET $4
	// [1 2 %MILK% 10]
}
