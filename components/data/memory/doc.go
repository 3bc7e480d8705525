// Package memory is the data layer's in-process connector, registered as
// "data.connector.memory": tables are maps guarded by one lock, filters
// run in Go (regular expressions with RE2, in linear time), and the
// store can persist itself to a JSON file.
//
// Import it (for its side effect, or for [File]), then name it in a
// datasource's configuration or options; its own setting, [Options], is
// the key file of the datasource's section:
//
//	import "github.com/backplane-dev/backplane/components/data/memory"
//
//	data.Source("db", data.WithConnector("memory"), memory.File("db.json"))
//
// # The file
//
// With a file (db.json, say), the store keeps two files:
//
//   - db.json, the snapshot: one JSON object holding every table's rows
//     (column → value) and each table's id counter,
//     {"tables":{"todo":[{"id":1,"title":"milk"}]},"ids":{"todo":1}}.
//     Files written before the journal existed have the same format and
//     load as they are.
//   - db.json.journal, the writes since the snapshot, one JSON object a
//     line: {"op":"insert",...} with the new rows and the table's id
//     counter, {"op":"update",...} with the ids and the new values,
//     {"op":"delete",...} with the ids, {"op":"drop",...} for a rebuilt
//     table. Each write appends only its own change.
//
// Open reads the snapshot and replays the journal over it. A last line
// without its newline is a write the process did not finish: it was
// never acknowledged, so it is dropped with a warning in the log. Any
// other line that does not decode fails Open with an error naming the
// journal and the line number, and both files are left as they are.
//
// # Durability
//
// A write (Insert, Update, Delete, a rebuilding Migrate) returns only
// after its journal line has been written to the file with write(2).
// Writers that arrive together share one write call: each queues its
// line, and one of the waiting writers writes everything queued, then
// wakes the others. The journal is not fsynced, so an acknowledged write
// survives the process crashing or being killed (the data is in the
// operating system's cache) but not the machine losing power. Snapshots
// are fsynced before they replace the old one.
//
// Changes become visible to readers when they are made in memory, a
// moment before their line is written: if the process dies in between,
// a reader may have seen a write that was never acknowledged and is not
// in the file.
//
// When a journal write fails (a full disk, say), its writer and every
// writer queued behind it get *data.UnavailableError (503), and their
// changes are undone at once: the journal is cut back to its last
// complete record and the tables are reloaded from the files, so a
// failed create is never visible after its writer heard of the failure,
// and its id is never handed out again. The next write, or the next
// Ping (a health check), tries the journal again: once the disk has
// room, the store takes writes without a restart. Reads go on
// throughout.
//
// # Compaction
//
// The journal is folded into a new snapshot (written to a temporary
// file, synced and renamed over the old one) at Open when the journal
// holds anything, at Close, and while the store is open whenever the
// journal grows past both the snapshot's size and 1 MiB, so that the
// cost is amortised over the writes. That compaction runs in the
// background: under the write lock it only copies the tables' maps (not
// the rows), encodes and writes the snapshot without the lock, then,
// under the lock again, replaces the journal with the lines written
// meanwhile. Replaying a line whose change the snapshot already holds
// changes nothing, so a crash at any step loses and doubles nothing.
//
// # One writer
//
// One store at a time may use a file: two processes sharing one would
// hand out the same ids and overwrite each other's journal, losing
// acknowledged writes. Open takes an exclusive lock (flock(2)) on
// file + ".lock" and writes its holder into it; a second Open — another
// process, as in a rolling restart that starts the new instance before
// the old one stops, or another datasource of the same process — fails
// with an *InUseError naming the file and the holder ("pid 4242 on host
// web-1 (todo), since …"). The system releases the lock when the
// process ends, however it ends.
//
// # Limits
//
// The memory connector has no transactions ([data.DataSource.Begin]
// returns a *data.NotSupportedError) and no native language
// ([data.DataSource.Execute] does too). Everything is held in memory,
// and Open reads the whole snapshot, so it suits tests, prototypes and
// data sets that fit comfortably in memory.
package memory
