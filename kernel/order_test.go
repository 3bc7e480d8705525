package kernel_test

import (
	"slices"
	"testing"

	"github.com/backplane-dev/backplane/kernel"
)

var widgetOrder = kernel.NewKey[[]string]("widgets.groupOrder")

var widgets = kernel.Ordering{Key: widgetOrder, Tag: "widget.group", DefaultGroup: "default",
	Default: []string{"first", kernel.Unlisted, "last"}}

func bindWidgets(c *kernel.Context) {
	bind := func(key, group string, rank int) {
		opts := []kernel.Option{kernel.Tags("widget"), kernel.Rank(rank)}
		if group != "" {
			opts = append(opts, widgets.InGroup(group))
		}
		kernel.Bind(c, kernel.NewKey[int](key), kernel.Value(0), opts...)
	}
	bind("w.z", "first", 0)
	bind("w.b", "last", 0)
	bind("w.a", "last", 0)
	bind("w.r", "first", -1)
	bind("w.n", "", 0) // default group, unlisted
	bind("w.m", "middle", 0)
}

func sortedKeys(t *testing.T, c *kernel.Context) []string {
	t.Helper()
	bs, err := widgets.Sort(c, c.Find(kernel.ByTag("widget")))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, b := range bs {
		keys = append(keys, b.Key())
	}
	return keys
}

func TestOrderingGroupsThenRankThenKey(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	bindWidgets(c)
	// first (rank, then key), unlisted groups by name (default, middle), last.
	want := []string{"w.r", "w.z", "w.n", "w.m", "w.a", "w.b"}
	if got := sortedKeys(t, c); !slices.Equal(got, want) {
		t.Fatalf("default order: got %v, want %v", got, want)
	}
	// An order without Unlisted puts the unlisted groups last.
	kernel.Bind(c, widgetOrder, kernel.Value([]string{"last", "first"}))
	want = []string{"w.a", "w.b", "w.r", "w.z", "w.n", "w.m"}
	if got := sortedKeys(t, c); !slices.Equal(got, want) {
		t.Fatalf("bound order: got %v, want %v", got, want)
	}
}

// The order of groups is a binding of each application: two in one
// process order the same kind differently.
func TestOrderingIsPerApplication(t *testing.T) {
	a := kernel.New("a", kernel.Application)
	b := kernel.New("b", kernel.Application)
	bindWidgets(a)
	bindWidgets(b)
	kernel.Bind(a, widgetOrder, kernel.Value([]string{"middle", kernel.Unlisted}))
	kernel.Bind(b, widgetOrder, kernel.Value([]string{"last", "middle", kernel.Unlisted}))
	if got, want := sortedKeys(t, a), []string{"w.m", "w.n", "w.r", "w.z", "w.a", "w.b"}; !slices.Equal(got, want) {
		t.Errorf("app a: got %v, want %v", got, want)
	}
	if got, want := sortedKeys(t, b), []string{"w.a", "w.b", "w.m", "w.n", "w.r", "w.z"}; !slices.Equal(got, want) {
		t.Errorf("app b: got %v, want %v", got, want)
	}
	// A child context sees its application's order unless it binds its own.
	child := a.NewChild("request", kernel.Request)
	if got := sortedKeys(t, child); got[0] != "w.m" {
		t.Errorf("child: got %v", got)
	}
}

func TestOrderingOfTheWrongType(t *testing.T) {
	c := kernel.New("app", kernel.Application)
	kernel.Bind(c, kernel.NewKey[string]("widgets.groupOrder"), kernel.Value("first,last"))
	if _, err := widgets.Sort(c, nil); err == nil {
		t.Fatal("an order of the wrong type was accepted")
	}
}
