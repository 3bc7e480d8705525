package data_test

import (
	"context"
	"errors"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
)

type memo struct {
	ID    int64  `json:"id" data:"id,generated"`
	Text  string `json:"text"`
	Owner string `json:"owner"`
}

type ownerKey struct{}

func as(owner string) context.Context {
	return context.WithValue(context.Background(), ownerKey{}, owner)
}

func ownerOf(ctx context.Context) (any, error) {
	o, _ := ctx.Value(ownerKey{}).(string)
	if o == "" {
		return nil, errors.New("no owner")
	}
	return o, nil
}

// Every method of an owned repository reaches only the caller's
// entities, and cannot give one away.
func TestOwnedRepository(t *testing.T) {
	ctx := context.Background()
	ds, err := data.Open(ctx, "db", data.Config{Connector: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Stop(ctx)
	all, err := data.NewRepository[memo, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.Owned(all, "nobody", ownerOf); err == nil {
		t.Error("an unknown owner property was accepted")
	}
	memos, err := data.Owned(all, "owner", ownerOf)
	if err != nil {
		t.Fatal(err)
	}
	ada, bob := as("ada"), as("bob")
	m, err := memos.Create(ada, memo{Text: "a", Owner: "bob"})
	if err != nil || m.Owner != "ada" {
		t.Fatalf("create: %+v, %v (the owner is the caller's)", m, err)
	}
	if _, err := memos.CreateAll(bob, []memo{{Text: "b1"}, {Text: "b2", Owner: "ada"}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := memos.Count(ada, nil); n != 1 {
		t.Errorf("ada counts %d", n)
	}
	if n, _ := memos.Count(bob, nil); n != 2 {
		t.Errorf("bob counts %d", n)
	}
	notFound := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, data.ErrNotFound) {
			t.Errorf("%s of another's memo: %v, want not found", what, err)
		}
	}
	_, err = memos.FindByID(bob, m.ID, nil)
	notFound("FindByID", err)
	notFound("UpdateByID", memos.UpdateByID(bob, m.ID, map[string]any{"text": "x"}))
	notFound("ReplaceByID", memos.ReplaceByID(bob, m.ID, memo{Text: "x"}))
	notFound("Update", memos.Update(bob, memo{ID: m.ID, Text: "x"}))
	notFound("Delete", memos.Delete(bob, memo{ID: m.ID}))
	notFound("DeleteByID", memos.DeleteByID(bob, m.ID))
	_, err = memos.Save(bob, memo{ID: m.ID, Text: "x"})
	notFound("Save", err)
	if ok, err := memos.Exists(bob, m.ID); ok || err != nil {
		t.Errorf("Exists for another: %v, %v", ok, err)
	}
	if n, _ := memos.UpdateAll(bob, map[string]any{"text": "mine"}, nil); n != 2 {
		t.Errorf("bob's UpdateAll changed %d", n)
	}
	if n, _ := memos.DeleteAll(bob, data.Prop("text").Eq("a")); n != 0 {
		t.Errorf("bob's DeleteAll reached %d of ada's", n)
	}
	var de *data.DataError
	if err := memos.UpdateByID(ada, m.ID, map[string]any{"owner": "bob"}); !errors.As(err, &de) {
		t.Errorf("giving a memo away: %v, want a DataError", err)
	}
	if _, err := memos.UpdateAll(ada, []byte(`{"owner":"bob"}`), nil); !errors.As(err, &de) {
		t.Errorf("giving memos away in bulk: %v", err)
	}
	if err := memos.ReplaceByID(ada, m.ID, memo{Text: "a2", Owner: "bob"}); err != nil {
		t.Fatal(err)
	}
	back, err := all.FindByID(ctx, m.ID, nil)
	if err != nil || back.Text != "a2" || back.Owner != "ada" {
		t.Errorf("after ada's replace: %+v, %v", back, err)
	}
	if _, err := memos.Find(ctx, nil); err == nil || err.Error() != "no owner" {
		t.Errorf("a call without an owner: %v", err)
	}
}
