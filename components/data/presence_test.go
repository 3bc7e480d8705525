package data_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/memory"
)

type chore struct {
	ID    int64  `json:"id" data:"id,generated"`
	Title string `json:"title" required:"true"`
	Done  bool   `json:"done"`
	Note  any    `json:"note,omitempty"`
}

func openChores(t *testing.T) data.Repository[chore, int64] {
	t.Helper()
	ctx := context.Background()
	ds, err := data.Open(ctx, "chores", data.Config{Connector: "memory", Options: memory.Options{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ds.Stop(ctx) })
	r, err := data.NewRepository[chore, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func wantBlank(t *testing.T, err error, what string) {
	t.Helper()
	var ve *data.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%s: %v, want a *data.ValidationError", what, err)
	}
	if ve.StatusCode() != 422 || ve.ErrorName() != "ValidationError" {
		t.Errorf("%s: %d %s", what, ve.StatusCode(), ve.ErrorName())
	}
	if want := "The `chore` instance is not valid. Details: `title` can't be blank (value: \"\")."; err.Error() != want {
		t.Errorf("%s: message %q, want %q", what, err.Error(), want)
	}
	d, _ := json.Marshal(ve.ErrorDetails())
	if want := `{"codes":{"title":["presence"]},"context":"chore","messages":{"title":["can't be blank"]}}`; string(d) != want {
		t.Errorf("%s: details %s, want %s", what, d, want)
	}
}

// A required property must be present on create and replace: an empty
// string is blank. A partial update may set it to "" (LoopBack does not
// check presence there), and data.Only sets zero values a struct alone
// cannot.
func TestRequiredPropertiesMustBePresent(t *testing.T) {
	ctx := context.Background()
	r := openChores(t)
	_, err := r.Create(ctx, chore{Title: ""})
	wantBlank(t, err, "Create")
	if n, _ := r.Count(ctx, nil); n != 0 {
		t.Fatalf("a refused create stored %d chores", n)
	}
	c, err := r.Create(ctx, chore{Title: "sweep", Done: true})
	if err != nil {
		t.Fatal(err)
	}
	wantBlank(t, r.ReplaceByID(ctx, c.ID, chore{Title: ""}), "ReplaceByID")
	if _, err := r.Create(ctx, chore{Title: " "}); err != nil {
		t.Errorf("a space is present: %v", err)
	}

	// A struct alone skips zero fields; data.Only sets them.
	if err := r.UpdateByID(ctx, c.ID, chore{Title: "", Done: false}); err != nil {
		t.Fatal(err)
	}
	got, _ := r.FindByID(ctx, c.ID, nil)
	if got.Title != "sweep" || !got.Done {
		t.Fatalf("a zero struct changed the chore: %+v", got)
	}
	if err := r.UpdateByID(ctx, c.ID, data.Only(chore{}, "title", "done")); err != nil {
		t.Fatal(err)
	}
	got, _ = r.FindByID(ctx, c.ID, nil)
	if got.Title != "" || got.Done {
		t.Errorf("data.Only did not set the zero values: %+v", got)
	}
	if err := r.UpdateByID(ctx, c.ID, json.RawMessage(`{"title":"mop"}`)); err != nil {
		t.Fatal(err)
	}
}

// An explicit null in an untyped property is stored and read back as a
// JSON null; a nil one is a property never set.
func TestExplicitNullIsKept(t *testing.T) {
	ctx := context.Background()
	r := openChores(t)
	a, err := r.Create(ctx, chore{Title: "a", Note: data.JSONNull})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Create(ctx, chore{Title: "b"})
	if err != nil {
		t.Fatal(err)
	}
	ga, _ := r.FindByID(ctx, a.ID, nil)
	gb, _ := r.FindByID(ctx, b.ID, nil)
	ja, _ := json.Marshal(ga)
	jb, _ := json.Marshal(gb)
	if !data.IsNull(ga.Note) || string(ja) != `{"id":1,"title":"a","done":false,"note":null}` {
		t.Errorf("explicit null: %s", ja)
	}
	if gb.Note != nil || string(jb) != `{"id":2,"title":"b","done":false}` {
		t.Errorf("never set: %s", jb)
	}
	if err := r.UpdateByID(ctx, b.ID, json.RawMessage(`{"note":null}`)); err != nil {
		t.Fatal(err)
	}
	if gb, _ = r.FindByID(ctx, b.ID, nil); !data.IsNull(gb.Note) {
		t.Errorf("PATCH note:null: %#v", gb.Note)
	}
}

func TestRecordsPresence(t *testing.T) {
	ctx := context.Background()
	ds, err := data.Open(ctx, "recs", data.Config{Connector: "memory", Options: memory.Options{}})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Stop(ctx)
	m, err := data.ModelFromSpec(data.ModelSpec{Name: "Note", Properties: []data.PropertySpec{
		{Name: "id", Type: "integer", ID: true, Generated: true},
		{Name: "title", Type: "string", Required: true},
		{Name: "tag", Type: "any"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := data.NewRecords(ds, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Migrate(ctx, data.MigrateCreate); err != nil {
		t.Fatal(err)
	}
	if _, err := recs.Create(ctx, map[string]any{"title": ""}); !errors.As(err, new(*data.ValidationError)) {
		t.Errorf("create with title \"\": %v", err)
	}
	rec, err := recs.Create(ctx, map[string]any{"title": "x", "tag": nil})
	if err != nil {
		t.Fatal(err)
	}
	if err := recs.ReplaceByID(ctx, rec["id"], map[string]any{"title": ""}); !errors.As(err, new(*data.ValidationError)) {
		t.Errorf("replace with title \"\": %v", err)
	}
	if err := recs.UpdateByID(ctx, rec["id"], map[string]any{"title": ""}); err != nil {
		t.Errorf("patch with title \"\": %v", err)
	}
	got, err := recs.FindByID(ctx, rec["id"], nil)
	if err != nil {
		t.Fatal(err)
	}
	if j, _ := json.Marshal(got); string(j) != `{"id":1,"tag":null,"title":""}` {
		t.Errorf("record: %s", j)
	}
}
