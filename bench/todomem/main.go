// Command todomem is examples/todo with its datasource declared again as
// the memory connector with no file, for bench/todo.sh. The example's
// datasource has the default file todo.db, which configuration cannot
// clear (an empty datasources.db.file leaves the default in place), so
// `--set datasources.db.connector=memory` gives a memory store that
// rewrites the whole of todo.db on every write. This command measures the
// framework without that persistence, next to the raw echo memory twin
// (bench/todotwin), which keeps its map in memory only.
//
//	go run ./bench/todomem serve --set rest.port=3919
package main

import (
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/examples/todo"
)

func main() {
	// A component mounted after the example's own declares the datasource
	// "db" again, and the later binding wins.
	todo.New(data.Source(todo.DataSource, data.WithConnector("memory"), data.WithConfig(data.Config{Migrate: "autoupdate"}))).Main()
}
