package openapi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/openapi"
)

func TestDiffClassifiesChanges(t *testing.T) {
	old, err := openapi.ParseFile("testdata/diff/old.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cur, err := openapi.ParseFile("testdata/diff/new.yaml")
	if err != nil {
		t.Fatal(err)
	}
	changes := openapi.Diff(old.Document, cur.Document)
	var got []string
	for _, c := range changes {
		got = append(got, c.Impact.String()+" "+c.ID+" "+c.Operation+" "+c.Where)
	}
	want := []string{
		"non-breaking operation-added GET /health ",
		"breaking operation-removed GET /stats ",
		"breaking request-parameter-became-required GET /todos query parameter limit",
		"breaking request-maximum-tightened GET /todos query parameter limit",
		"warning request-parameter-removed GET /todos query parameter legacy",
		"non-breaking new-optional-request-parameter GET /todos query parameter tag",
		"warning response-optional-property-removed GET /todos response 200/items/desc",
		"non-breaking response-property-added GET /todos response 200/items/done",
		"warning response-enum-value-added GET /todos response 200/items/priority",
		"breaking response-property-became-optional GET /todos response 200/items/priority",
		"breaking request-enum-value-removed POST /todos request body/priority",
		"warning request-property-removed POST /todos request body/desc",
		"breaking new-required-request-property POST /todos request body/owner",
		"breaking request-maxLength-tightened POST /todos request body/title",
		"breaking response-success-status-removed POST /todos response 200",
		"warning response-success-status-added POST /todos response 201",
		"non-breaking response-non-success-status-added POST /todos response 422",
		"breaking operation-removed DELETE /todos/{todoId} ",
		// The Todo schema's changes show in every operation that answers one.
		"warning response-optional-property-removed GET /todos/{todoId} response 200/desc",
		"non-breaking response-property-added GET /todos/{todoId} response 200/done",
		"warning response-enum-value-added GET /todos/{todoId} response 200/priority",
		"breaking response-property-became-optional GET /todos/{todoId} response 200/priority",
	}
	missing := map[string]bool{}
	for _, w := range want {
		missing[w] = true
	}
	for _, g := range got {
		if missing[g] {
			delete(missing, g)
		} else {
			t.Errorf("unexpected change: %s", g)
		}
	}
	for w := range missing {
		t.Errorf("missing change: %s", w)
	}
	// The renamed path parameter ({id} → {todoId}) is no change.
	for _, c := range changes {
		if strings.Contains(c.Where, "path parameter") {
			t.Errorf("a renamed path parameter is a change: %s", c)
		}
	}
	if !openapi.AtLeast(changes, openapi.Breaking) {
		t.Error("AtLeast(Breaking) is false")
	}
	if openapi.AtLeast(openapi.Diff(old.Document, old.Document), openapi.NonBreaking) {
		t.Error("a document differs from itself")
	}

	var md, js bytes.Buffer
	if err := openapi.WriteChanges(&md, changes, openapi.ChangesMarkdown); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(md.String(), "### API changes: 10 breaking, 7 warning(s), 5 non-breaking\n") || !strings.Contains(md.String(), "| 🔴 breaking | `POST /todos` | `request body/owner` |") {
		t.Errorf("markdown:\n%s", md.String())
	}
	if err := openapi.WriteChanges(&js, changes, openapi.ChangesJSON); err != nil {
		t.Fatal(err)
	}
	var report struct {
		Breaking int `json:"breaking"`
		Changes  []struct {
			ID     string `json:"id"`
			Impact string `json:"impact"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(js.Bytes(), &report); err != nil || report.Breaking != 10 || report.Changes[0].Impact == "" {
		t.Errorf("json %v: %s", err, js.String())
	}
}
