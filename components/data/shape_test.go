package data_test

import (
	"testing"

	"github.com/backplane-dev/backplane/components/data"
)

type shaped struct {
	ID    int64    `json:"id" data:"id,generated"`
	Title string   `json:"title"`
	Tags  []string `json:"tags"`
	Stars int      `json:"stars"`
}

func TestShapesCarryNoValues(t *testing.T) {
	m, err := data.ModelOf[shaped]()
	if err != nil {
		t.Fatal(err)
	}
	f, err := data.ParseFilter(`{"where":{"or":[{"title":{"like":"%hunter2%"}},{"and":[{"stars":{"between":[1,9]}},{"id":{"inq":[4,5]}}]}]},"skip":3}`)
	if err != nil {
		t.Fatal(err)
	}
	q, err := m.Compile(f, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "find shaped where title like ? or (stars between ? and ? and id inq (?)) order by id skip ?"
	if got := q.Shape(); got != want {
		t.Errorf("shape:\n got %s\nwant %s", got, want)
	}
}
