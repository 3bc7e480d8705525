package relation_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
	"github.com/backplane-dev/backplane/components/data/relation"
)

type List struct {
	ID    int64  `json:"id,omitempty" data:"id,generated"`
	Title string `json:"title"`
	Items []Item `json:"items,omitempty" relation:"hasMany"`
}

type Item struct {
	ID     int64  `json:"id,omitempty" data:"id,generated"`
	Title  string `json:"title"`
	ListID int64  `json:"listId"`
	List   *List  `json:"list,omitempty" relation:"belongsTo"`
}

// A hasMany and its belongsTo on two repositories: children created
// through the parent get its id; an include fills the navigational
// field with one query for all the parents; a child under a parent that
// does not exist is refused.
func Example() {
	ctx := context.Background()
	ds, err := data.Open(ctx, "db", data.Config{Connector: "memory"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ds.Stop(ctx)
	lists, _ := data.NewRepository[List, int64](ds)
	items, _ := data.NewRepository[Item, int64](ds)
	listItems, err := relation.NewHasMany(lists, items, "items", "listId")
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := relation.NewBelongsTo(items, lists, "list", "listId"); err != nil {
		fmt.Println(err)
		return
	}

	groceries, _ := lists.Create(ctx, List{Title: "groceries"})
	chores, _ := lists.Create(ctx, List{Title: "chores"})
	listItems.For(groceries.ID).Create(ctx, Item{Title: "milk"})
	listItems.For(groceries.ID).Create(ctx, Item{Title: "eggs"})
	listItems.For(chores.ID).Create(ctx, Item{Title: "dishes"})

	found, _ := lists.Find(ctx, &data.Filter{
		Include: []data.Inclusion{{Relation: "items", Scope: &data.Filter{Order: []string{"title"}}}},
	})
	b, _ := json.Marshal(found)
	fmt.Println(string(b))

	milk, _ := items.FindOne(ctx, &data.Filter{
		Where:   data.Prop("title").Eq("milk"),
		Include: []data.Inclusion{{Relation: "list"}},
	})
	fmt.Println(milk.Title, "is on", milk.List.Title)

	_, err = listItems.For(99).Create(ctx, Item{Title: "orphan"})
	fmt.Println(err)
	// Output:
	// [{"id":1,"title":"groceries","items":[{"id":2,"title":"eggs","listId":1},{"id":1,"title":"milk","listId":1}]},{"id":2,"title":"chores","items":[{"id":3,"title":"dishes","listId":2}]}]
	// milk is on groceries
	// Entity not found: List with id 99
}
