package crud_test

import (
	"context"
	"strings"
	"testing"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/crud"
	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/kernel"
)

// recordApp declares two record models with generated string ids (UUIDs), Shelf and Book
// (Book.shelfId holds a Shelf's id), and lets routes expose them.
func recordApp(t *testing.T, routes func(app *backplane.App, shelves, books *data.Records)) *backplane.App {
	t.Helper()
	app := backplane.New("records", config.Component(), data.Source("db", data.WithConnector("memory")), rest.Component(), openapi.Component())
	spec := func(name string, props ...data.PropertySpec) *data.Model {
		m, err := data.ModelFromSpec(data.ModelSpec{Name: name, Properties: append([]data.PropertySpec{{Name: "id", Type: "string", ID: true, Generated: true}}, props...)})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	shelf := spec("Shelf", data.PropertySpec{Name: "label", Type: "string"})
	book := spec("Book", data.PropertySpec{Name: "title", Type: "string", Required: true}, data.PropertySpec{Name: "shelfId", Type: "string", Required: true})
	app.Mount(backplane.NewComponent("models", func(app *backplane.App) error {
		ds, err := kernel.Resolve(context.Background(), app.Context(), data.DataSourceKey("db"))
		if err != nil {
			return err
		}
		shelves, err := data.NewRecords(ds, shelf)
		if err != nil {
			return err
		}
		books, err := data.NewRecords(ds, book)
		if err != nil {
			return err
		}
		crud.ExposeRecords(app, "/shelves", shelves)
		crud.ExposeRecords(app, "/books", books)
		routes(app, shelves, books)
		return nil
	}))
	return app
}

func TestRecordRelationsWithStringIDs(t *testing.T) {
	app := recordApp(t, func(app *backplane.App, shelves, books *data.Records) {
		crud.RecordsHasMany(app, "/shelves", "books", shelves, books, "shelfId")
		crud.RecordsBelongsTo(app, "/books", "shelf", books, shelves, "shelfId")
	})
	c := resttest.Start(t, app)
	var a, b map[string]any
	c.Post("/shelves", `{"label":"top"}`).Status(200).JSON(&a)
	c.Post("/shelves", `{}`).Status(200).JSON(&b)
	shelfA, shelfB := "/shelves/"+a["id"].(string), "/shelves/"+b["id"].(string)
	// the foreign key is required by Book, not under its shelf
	c.Post("/books", `{"title":"x"}`).Error(422, "VALIDATION_FAILED")
	var dune map[string]any
	c.Post(shelfA+"/books", `{"title":"Dune"}`).Status(200).JSON(&dune)
	if dune["shelfId"] != a["id"] {
		t.Errorf("created %v", dune)
	}
	c.Post(shelfA+"/books", `{"title":"Emma","shelfId":"`+b["id"].(string)+`"}`).Error(400, "FOREIGN_KEY_CONFLICT")
	e := c.Post("/shelves/zzz/books", `{"title":"Orphan"}`).Error(404, "ENTITY_NOT_FOUND")
	if e.Message != `Entity not found: Shelf with id "zzz"` {
		t.Errorf("missing parent: %q", e.Message)
	}
	var n struct{ Count int }
	c.Get("/books/count").Status(200).JSON(&n)
	if n.Count != 1 {
		t.Errorf("%d books stored, want 1", n.Count)
	}
	var kids []map[string]any
	c.Get(shelfA + "/books").Status(200).JSON(&kids)
	if len(kids) != 1 || kids[0]["id"] != dune["id"] {
		t.Errorf("children %v", kids)
	}
	kids = nil
	c.Get(shelfB + "/books").Status(200).JSON(&kids)
	if kids == nil || len(kids) != 0 {
		t.Errorf("no children is not []: %v", kids)
	}
	var s map[string]any
	c.Get("/books/" + dune["id"].(string) + "/shelf").Status(200).JSON(&s)
	if s["label"] != "top" {
		t.Errorf("belongsTo %v", s)
	}
	c.Delete(shelfA).Status(204)
	e = c.Get("/books/"+dune["id"].(string)+"/shelf").Error(404, "ENTITY_NOT_FOUND")
	if e.Message != `Entity not found: Shelf with id "`+a["id"].(string)+`"` {
		t.Errorf("parent gone: %q", e.Message)
	}
}

func TestRecordRelationsReadOnly(t *testing.T) {
	app := recordApp(t, func(app *backplane.App, shelves, books *data.Records) {
		crud.RecordsHasMany(app, "/shelves", "books", shelves, books, "shelfId", crud.ReadOnly(), crud.Tags("library"))
		crud.RecordsHasOne(app, "/shelves", "first-book", shelves, books, "shelfId", crud.ReadOnly())
	})
	c := resttest.Start(t, app)
	var a map[string]any
	c.Post("/shelves", `{}`).Status(200).JSON(&a)
	shelf := "/shelves/" + a["id"].(string)
	c.Get(shelf + "/books").Status(200)
	c.Get(shelf+"/first-book").Error(404, "ENTITY_NOT_FOUND")
	for _, path := range []string{shelf + "/books", shelf + "/first-book"} {
		if r := c.Post(path, `{"title":"x"}`); r.StatusCode == 200 {
			t.Errorf("POST %s on read-only routes: %s", path, r.Body)
		}
		if r := c.Delete(path); r.StatusCode == 200 {
			t.Errorf("DELETE %s on read-only routes: %s", path, r.Body)
		}
	}
	var doc struct {
		Paths map[string]map[string]struct{ Tags []string }
	}
	c.Get("/openapi.json").Status(200).JSON(&doc)
	if ops := doc.Paths["/shelves/{id}/books"]; len(ops) != 1 || len(ops["get"].Tags) != 1 || ops["get"].Tags[0] != "library" {
		t.Errorf("read-only operations: %+v", ops)
	}
}

func TestRecordRelationWithoutTheForeignKeyFailsTheStart(t *testing.T) {
	for name, routes := range map[string]func(app *backplane.App, shelves, books *data.Records){
		"hasMany": func(app *backplane.App, s, b *data.Records) {
			crud.RecordsHasMany(app, "/shelves", "books", s, b, "nope")
		},
		"hasOne": func(app *backplane.App, s, b *data.Records) {
			crud.RecordsHasOne(app, "/shelves", "book", s, b, "nope")
		},
		"belongsTo": func(app *backplane.App, s, b *data.Records) {
			crud.RecordsBelongsTo(app, "/books", "shelf", b, s, "nope")
		},
	} {
		t.Run(name, func(t *testing.T) {
			app := recordApp(t, routes)
			err := app.Start(context.Background())
			if err == nil {
				app.Stop(context.Background())
				t.Fatal("the start did not fail")
			}
			if !strings.Contains(err.Error(), `"nope"`) {
				t.Errorf("error %v", err)
			}
		})
	}
}
