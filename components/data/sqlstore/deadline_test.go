package sqlstore

import (
	"encoding/json"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
)

type note struct {
	ID   int64  `json:"id" data:"id,generated"`
	Text string `json:"text"`
	Tag  string `json:"tag"`
}

// Statements that find one row by its id, testing nothing slow on it,
// run without the store's deadline; every other where gets it.
func TestBoundedWhere(t *testing.T) {
	m, err := data.ModelOf[note]()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		where   string
		bounded bool
	}{
		{`{"id":1}`, true},
		{`{"id":1,"tag":"x"}`, true},
		{`{"and":[{"id":1},{"tag":{"inq":["x","y"]}}]}`, true},
		{`{"id":1,"text":{"regexp":"a+"}}`, false},
		{`{"id":1,"text":{"like":"%a%"}}`, false},
		{`{"tag":"x"}`, false},
		{`{"id":{"gt":1}}`, false},
		{`{"or":[{"id":1},{"id":2}]}`, false},
		{`{}`, false},
	} {
		var f data.Filter
		if err := json.Unmarshal([]byte(`{"where":`+c.where+`}`), &f); err != nil {
			t.Fatal(err)
		}
		q, err := m.Compile(&f, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := boundedWhere(m, q.Where); got != c.bounded {
			t.Errorf("where %s: bounded %v, want %v", c.where, got, c.bounded)
		}
	}
}
