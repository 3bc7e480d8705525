package datatest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/relation"
)

// The relation models: a Shelf has many Books and one Label; a Book
// belongs to its Shelf; a Reader has many Books through Loans.
type (
	Shelf struct {
		ID    int64  `json:"id,omitempty" data:"id,generated"`
		Name  string `json:"name" required:"true"`
		Books []Book `json:"books,omitempty" relation:"hasMany"`
		Label *Label `json:"label,omitempty" relation:"hasOne"`
	}
	Book struct {
		ID      int64  `json:"id,omitempty" data:"id,generated"`
		Title   string `json:"title" required:"true"`
		ShelfID *int64 `json:"shelfId,omitempty" data:"index"`
		Shelf   *Shelf `json:"shelf,omitempty" relation:"belongsTo"`
	}
	Label struct {
		ID      int64  `json:"id,omitempty" data:"id,generated"`
		Text    string `json:"text"`
		ShelfID *int64 `json:"shelfId,omitempty"`
	}
	Reader struct {
		ID    int64  `json:"id,omitempty" data:"id,generated"`
		Name  string `json:"name"`
		Books []Book `json:"books,omitempty" relation:"hasManyThrough"`
	}
	Loan struct {
		ID       int64 `json:"id,omitempty" data:"id,generated"`
		ReaderID int64 `json:"readerId"`
		BookID   int64 `json:"bookId"`
	}
)

type relEnv struct {
	*env
	shelves data.Repository[Shelf, int64]
	books   data.Repository[Book, int64]
	labels  data.Repository[Label, int64]
	readers data.Repository[Reader, int64]
	loans   data.Repository[Loan, int64]
	booksOf *relation.HasManyRelation[Shelf, int64, Book, int64]
	labelOf *relation.HasManyRelation[Shelf, int64, Label, int64]
	shelfOf *relation.BelongsToRelation[Book, int64, Shelf, int64]
}

// must returns v, or panics with err: a failing relation case stops
// with its error (the test fails; go test reports the case).
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("datatest: %v", err))
	}
	return v
}

func newRelEnv(t *testing.T, e *env) *relEnv {
	t.Helper()
	r := &relEnv{env: e}
	r.shelves = must(data.NewRepository[Shelf, int64](e.ds))
	r.books = must(data.NewRepository[Book, int64](e.ds))
	r.labels = must(data.NewRepository[Label, int64](e.ds))
	r.readers = must(data.NewRepository[Reader, int64](e.ds))
	r.loans = must(data.NewRepository[Loan, int64](e.ds))
	r.booksOf = must(relation.NewHasMany(r.shelves, r.books, "books", "shelfId"))
	r.labelOf = must(relation.NewHasOne(r.shelves, r.labels, "label", "shelfId"))
	r.shelfOf = must(relation.NewBelongsTo(r.books, r.shelves, "shelf", "shelfId"))
	must(relation.NewHasManyThrough(r.readers, r.books, r.loans, "books", "readerId", "bookId"))
	if err := e.ds.Migrate(e.ctx, data.MigrateRebuild); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return r
}

func init() {
	cases = append(cases,
		testCase{"RelationsInclude", testRelationsInclude},
		testCase{"RelationsThroughTheParent", testRelationsThroughTheParent},
		testCase{"RelationsThrough", testRelationsThrough},
		testCase{"RelationsIncludeWithFields", testRelationsIncludeWithFields},
		testCase{"RelationsHasOneConcurrentCreate", testRelationsHasOneConcurrentCreate},
	)
}

func testRelationsInclude(t *testing.T, e *env) {
	r := newRelEnv(t, e)
	var shelves []Shelf
	for i := 0; i < 20; i++ {
		shelves = append(shelves, Shelf{Name: fmt.Sprintf("shelf %02d", i)})
	}
	shelves = must(r.shelves.CreateAll(e.ctx, shelves))
	for i, s := range shelves {
		for j := 0; j < i%3; j++ {
			must(r.booksOf.For(s.ID).Create(e.ctx, Book{Title: fmt.Sprintf("book %02d.%d", i, j)}))
		}
	}
	must(r.labelOf.For(shelves[1].ID).Create(e.ctx, Label{Text: "new"}))
	got := must(r.shelves.Find(e.ctx, &data.Filter{Order: []string{"name"}, Include: []data.Inclusion{
		{Relation: "books", Scope: &data.Filter{Order: []string{"title DESC"}, Limit: 1, Include: []data.Inclusion{{Relation: "shelf"}}}},
		{Relation: "label"},
	}}))
	for i, s := range got {
		want := min(i%3, 1)
		if len(s.Books) != want {
			t.Fatalf("shelf %d: %d books, want %d (scope limit applies per parent)", i, len(s.Books), want)
		}
		if want == 1 && (s.Books[0].Title != fmt.Sprintf("book %02d.%d", i, i%3-1) || s.Books[0].Shelf == nil || s.Books[0].Shelf.ID != s.ID) {
			t.Errorf("shelf %d: %+v", i, s.Books[0])
		}
		if (s.Label != nil) != (i == 1) {
			t.Errorf("shelf %d: label %+v", i, s.Label)
		}
	}
	books := must(r.books.Find(e.ctx, &data.Filter{Include: []data.Inclusion{{Relation: "shelf"}}}))
	for _, b := range books {
		if b.Shelf == nil || b.Shelf.ID != *b.ShelfID {
			t.Fatalf("book %d: shelf %+v", b.ID, b.Shelf)
		}
	}
	_, err := r.shelves.Find(e.ctx, &data.Filter{Include: []data.Inclusion{{Relation: "nope"}}})
	wantStatus(t, err, 400, data.CodeInvalidParameter)
	if want := `data: invalid filter: /include/0: Relation "nope" is not defined for Shelf model`; err.Error() != want {
		t.Errorf("unknown relation: %q, want %q", err, want)
	}
	// an unknown relation, or a scope that does not fit, deeper down:
	// one message that says in which include
	for _, c := range []struct{ filter, want string }{
		{`{"include":[{"relation":"books","scope":{"include":["nope"]}}]}`,
			`data: invalid filter: /include/0/scope/include/0: Relation "nope" is not defined for Book model (in include books)`},
		{`{"include":["label",{"relation":"books","scope":{"include":[{"relation":"shelf","scope":{"include":["nope"]}}]}}]}`,
			`data: invalid filter: /include/1/scope/include/0/scope/include/0: Relation "nope" is not defined for Shelf model (in include books.shelf)`},
		{`{"include":[{"relation":"books","scope":{"where":{"nope":1}}}]}`,
			`data: invalid filter: /include/0/scope/where/nope: unknown property "nope" of model Book (in include books)`},
	} {
		_, err := r.shelves.Find(e.ctx, mustParse(t, c.filter))
		wantStatus(t, err, 400, data.CodeInvalidParameter)
		if err.Error() != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.filter, err, c.want)
		}
	}
	if _, err := r.shelves.FindByID(e.ctx, got[0].ID, mustParse(t, `{"include":[{"relation":"books","scope":{"include":["nope"]}}]}`)); err == nil || err.Error() != `data: invalid filter: /include/0/scope/include/0: Relation "nope" is not defined for Book model (in include books)` {
		t.Errorf("FindByID, nested unknown relation: %v", err)
	}
	_, err = r.shelves.Create(e.ctx, Shelf{Name: "x", Books: []Book{{Title: "smuggled"}}})
	wantStatus(t, err, 422, data.CodeInvalidData)
}

func testRelationsThroughTheParent(t *testing.T, e *env) {
	r := newRelEnv(t, e)
	s := must(r.shelves.Create(e.ctx, Shelf{Name: "a"}))
	b := must(r.booksOf.For(s.ID).Create(e.ctx, Book{Title: "one"}))
	if b.ShelfID == nil || *b.ShelfID != s.ID {
		t.Errorf("the foreign key is not the parent's: %+v", b)
	}
	_, err := r.booksOf.For(s.ID+1000).Create(e.ctx, Book{Title: "orphan"})
	wantStatus(t, err, 404, data.CodeEntityNotFound)
	other := s.ID + 1
	_, err = r.booksOf.For(s.ID).Create(e.ctx, Book{Title: "conflict", ShelfID: &other})
	wantStatus(t, err, 400, "FOREIGN_KEY_CONFLICT")
	if n := must(r.books.Count(e.ctx, nil)); n != 1 {
		t.Errorf("%d books stored, want 1", n)
	}
	must(r.booksOf.For(s.ID).Create(e.ctx, Book{Title: "two"}))
	if n := must(r.booksOf.For(s.ID).Patch(e.ctx, Book{Title: "2"}, data.Prop("title").Eq("two"))); n != 1 {
		t.Errorf("patched %d", n)
	}
	parent := must(r.shelfOf.Get(e.ctx, b.ID))
	if parent.ID != s.ID {
		t.Errorf("belongsTo: %+v", parent)
	}
	if n := must(r.booksOf.For(s.ID).Delete(e.ctx, nil)); n != 2 {
		t.Errorf("deleted %d", n)
	}
}

func testRelationsThrough(t *testing.T, e *env) {
	r := newRelEnv(t, e)
	b1 := must(r.books.Create(e.ctx, Book{Title: "b1"}))
	b2 := must(r.books.Create(e.ctx, Book{Title: "b2"}))
	ann := must(r.readers.Create(e.ctx, Reader{Name: "ann"}))
	bob := must(r.readers.Create(e.ctx, Reader{Name: "bob"}))
	for _, l := range []Loan{{ReaderID: ann.ID, BookID: b2.ID}, {ReaderID: ann.ID, BookID: b1.ID}, {ReaderID: bob.ID, BookID: b2.ID}} {
		must(r.loans.Create(e.ctx, l))
	}
	got := must(r.readers.Find(e.ctx, &data.Filter{Order: []string{"name"}, Include: []data.Inclusion{{Relation: "books", Scope: &data.Filter{Order: []string{"title"}}}}}))
	if len(got) != 2 || len(got[0].Books) != 2 || got[0].Books[0].Title != "b1" || len(got[1].Books) != 1 || got[1].Books[0].Title != "b2" {
		t.Errorf("readers with books: %+v", got)
	}
}

// testRelationsIncludeWithFields: fields that leave out the keys an
// include matches on (the parent's id, a belongsTo's foreign key, the
// children's foreign key) still find the related entities, and the keys
// not asked for stay out of the answer.
func testRelationsIncludeWithFields(t *testing.T, e *env) {
	r := newRelEnv(t, e)
	var shelves []*Shelf
	for i := range 3 {
		s := must(r.shelves.Create(e.ctx, Shelf{Name: fmt.Sprintf("shelf %d", i)}))
		shelves = append(shelves, s)
		for j := 0; j <= i; j++ {
			must(r.booksOf.For(s.ID).Create(e.ctx, Book{Title: fmt.Sprintf("book %d.%d", i, j)}))
		}
	}
	must(r.labelOf.For(shelves[0].ID).Create(e.ctx, Label{Text: "first"}))
	checkShelves := func(what string, got []Shelf, bookKeys bool) {
		t.Helper()
		if len(got) != 3 {
			t.Fatalf("%s: %d shelves", what, len(got))
		}
		for i, s := range got {
			if s.ID != 0 || s.Name != fmt.Sprintf("shelf %d", i) {
				t.Errorf("%s: shelf %d is %+v, want only its name", what, i, s)
			}
			if len(s.Books) != i+1 {
				t.Fatalf("%s: shelf %d has %d books, want %d", what, i, len(s.Books), i+1)
			}
			for j, b := range s.Books {
				if b.Title != fmt.Sprintf("book %d.%d", i, j) {
					t.Errorf("%s: shelf %d book %d: %+v", what, i, j, b)
				}
				if hasKeys := b.ID != 0 && b.ShelfID != nil && *b.ShelfID == shelves[i].ID; hasKeys != bookKeys {
					t.Errorf("%s: shelf %d book %d: %+v; want its keys: %v", what, i, j, b, bookKeys)
				}
			}
			if (s.Label != nil) != (i == 0) {
				t.Errorf("%s: shelf %d: label %+v", what, i, s.Label)
			}
		}
	}
	inc := func(rel string, scope *data.Filter) data.Inclusion {
		return data.Inclusion{Relation: rel, Scope: scope}
	}

	// the parent's id left out
	got := must(r.shelves.Find(e.ctx, &data.Filter{Fields: data.Fields{"name": true}, Order: []string{"name"}, Include: []data.Inclusion{inc("books", &data.Filter{Order: []string{"title"}}), inc("label", nil)}}))
	checkShelves("fields {name: true}", got, true)
	if b := must(json.Marshal(got[0])); string(b) != fmt.Sprintf(`{"name":"shelf 0","books":[{"id":%d,"title":"book 0.0","shelfId":%d}],"label":{"id":%d,"text":"first","shelfId":%d}}`, got[0].Books[0].ID, shelves[0].ID, got[0].Label.ID, shelves[0].ID) {
		t.Errorf("fields {name: true}: %s", b)
	}
	got = must(r.shelves.Find(e.ctx, &data.Filter{Fields: data.Fields{"id": false}, Order: []string{"name"}, Include: []data.Inclusion{inc("books", &data.Filter{Order: []string{"title"}}), inc("label", nil)}}))
	checkShelves("fields {id: false}", got, true)

	// the children's foreign key left out by the scope
	got = must(r.shelves.Find(e.ctx, &data.Filter{Fields: data.Fields{"name": true}, Order: []string{"name"}, Include: []data.Inclusion{
		inc("books", &data.Filter{Fields: data.Fields{"title": true}, Order: []string{"title"}}),
		inc("label", &data.Filter{Fields: data.Fields{"text": true}}),
	}}))
	checkShelves("scope fields {title: true}", got, false)
	if b := must(json.Marshal(got[0])); string(b) != `{"name":"shelf 0","books":[{"title":"book 0.0"}],"label":{"text":"first"}}` {
		t.Errorf("scope fields {title: true}: %s", b)
	}
	got = must(r.shelves.Find(e.ctx, &data.Filter{Fields: data.Fields{"id": false}, Order: []string{"name"}, Include: []data.Inclusion{
		inc("books", &data.Filter{Fields: data.Fields{"shelfId": false, "id": false}, Order: []string{"title"}}),
		inc("label", &data.Filter{Fields: data.Fields{"shelfId": false}}),
	}}))
	checkShelves("scope fields {shelfId: false}", got, false)
	if got[0].Label == nil || got[0].Label.ShelfID != nil || got[0].Label.Text != "first" {
		t.Errorf("scope fields {shelfId: false}: label %+v", got[0].Label)
	}

	// FindByID, the id left out
	one := must(r.shelves.FindByID(e.ctx, shelves[2].ID, &data.Filter{Fields: data.Fields{"name": true}, Include: []data.Inclusion{inc("books", &data.Filter{Fields: data.Fields{"title": true}, Limit: 2, Order: []string{"title DESC"}})}}))
	if one.ID != 0 || len(one.Books) != 2 || one.Books[0].Title != "book 2.2" || one.Books[0].ShelfID != nil {
		t.Errorf("FindByID with fields: %+v", one)
	}

	// belongsTo: the child's foreign key and the parent's id left out;
	// nested, the scope's foreign key too
	want := map[string]string{}
	for i := range shelves {
		for j := 0; j <= i; j++ {
			want[fmt.Sprintf("book %d.%d", i, j)] = fmt.Sprintf("shelf %d", i)
		}
	}
	books := must(r.books.Find(e.ctx, &data.Filter{Fields: data.Fields{"title": true}, Include: []data.Inclusion{inc("shelf", &data.Filter{Fields: data.Fields{"name": true}})}}))
	if len(books) != len(want) {
		t.Fatalf("%d books, want %d", len(books), len(want))
	}
	for _, b := range books {
		if b.ID != 0 || b.ShelfID != nil || b.Shelf == nil || b.Shelf.Name != want[b.Title] || b.Shelf.ID != 0 {
			t.Errorf("book with its shelf, fields {title: true}: %+v (shelf %+v)", b, b.Shelf)
		}
	}
	got = must(r.shelves.Find(e.ctx, &data.Filter{Fields: data.Fields{"name": true}, Order: []string{"name"}, Include: []data.Inclusion{
		inc("books", &data.Filter{Fields: data.Fields{"title": true}, Order: []string{"title"}, Include: []data.Inclusion{inc("shelf", &data.Filter{Fields: data.Fields{"name": true}})}}),
	}}))
	for i, s := range got {
		if len(s.Books) != i+1 {
			t.Fatalf("nested: shelf %d has %d books", i, len(s.Books))
		}
		for _, b := range s.Books {
			if b.ShelfID != nil || b.ID != 0 || b.Shelf == nil || b.Shelf.Name != s.Name || b.Shelf.ID != 0 {
				t.Errorf("nested: shelf %d: book %+v (shelf %+v)", i, b, b.Shelf)
			}
		}
	}

	// hasManyThrough: the reader's id and the books' ids left out
	ann := must(r.readers.Create(e.ctx, Reader{Name: "ann"}))
	for _, b := range must(r.books.Find(e.ctx, &data.Filter{Where: data.Prop("title").Inq("book 1.0", "book 2.1")})) {
		must(r.loans.Create(e.ctx, Loan{ReaderID: ann.ID, BookID: b.ID}))
	}
	readers := must(r.readers.Find(e.ctx, &data.Filter{Fields: data.Fields{"name": true}, Include: []data.Inclusion{inc("books", &data.Filter{Fields: data.Fields{"title": true}, Order: []string{"title"}})}}))
	if len(readers) != 1 || readers[0].ID != 0 || len(readers[0].Books) != 2 || readers[0].Books[0].Title != "book 1.0" || readers[0].Books[0].ID != 0 || readers[0].Books[1].Title != "book 2.1" {
		t.Errorf("through, with fields: %+v", readers)
	}
}

// testRelationsHasOneConcurrentCreate: twenty creates of one parent's
// hasOne child at once store exactly one; the others fail with 409
// DUPLICATE_ENTRY.
func testRelationsHasOneConcurrentCreate(t *testing.T, e *env) {
	r := newRelEnv(t, e)
	s := must(r.shelves.Create(e.ctx, Shelf{Name: "contended"}))
	other := must(r.shelves.Create(e.ctx, Shelf{Name: "other"}))
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = r.labelOf.For(s.ID).Create(e.ctx, Label{Text: fmt.Sprint(i)})
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for _, err := range errs {
		if err == nil {
			created++
			continue
		}
		wantStatus(t, err, 409, data.CodeDuplicateEntry)
	}
	if created != 1 {
		t.Errorf("%d creates succeeded, want 1", created)
	}
	if c := must(r.labels.Count(e.ctx, data.Prop("shelfId").Eq(s.ID))); c != 1 {
		t.Errorf("%d labels stored for one shelf, want 1", c)
	}
	// other parents are not held up by it
	must(r.labelOf.For(other.ID).Create(e.ctx, Label{Text: "other"}))
	_, err := r.labelOf.For(other.ID).Create(e.ctx, Label{Text: "again"})
	wantStatus(t, err, 409, data.CodeDuplicateEntry)
}
