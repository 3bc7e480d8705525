// Package memory is the data layer's in-process connector, registered as
// "data.connector.memory": tables are maps guarded by one lock, filters
// run in Go (regular expressions with RE2, in linear time), and the
// store can persist itself to a JSON file.
//
// Import it for its side effect, then name it in a datasource's
// configuration:
//
//	import _ "github.com/backplane-dev/backplane/components/data/memory"
//
//	data.Source("db", data.WithConnector("memory"), data.WithFile("db.json"))
//
// # Limits
//
// The memory connector has no transactions ([data.DataSource.Begin]
// returns a *data.NotSupportedError) and no native language
// ([data.DataSource.Execute] does too). With a file, every write saves
// the whole store, so it suits tests, prototypes and small data sets.
package memory
