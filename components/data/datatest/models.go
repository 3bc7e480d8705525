package datatest

import "time"

// Item is the suite's main model: every kind of property, nullable ones,
// a hidden one and a unique one.
type Item struct {
	ID    int64      `json:"id" data:"id,generated"`
	Title string     `json:"title" required:"true" data:"index"`
	Rank  int        `json:"rank"`
	Score *float64   `json:"score,omitempty"`
	Done  bool       `json:"done"`
	Note  *string    `json:"note,omitempty"`
	Due   *time.Time `json:"due,omitempty"`
	Tags  []string   `json:"tags,omitempty"`
	// Secret is hidden: never read unless the context allows it.
	Secret string  `json:"secret,omitempty" data:"hidden"`
	Code   *string `json:"code,omitempty" data:"unique"`
}

// Doc has a generated string id (a UUID).
type Doc struct {
	ID   string `json:"id" data:"id,generated"`
	Name string `json:"name"`
}

// Keyed has a string id the caller chooses, in a column of its own name.
type Keyed struct {
	Key string `json:"key" data:"id,column=k"`
	N   int    `json:"n"`
}

// Gadget has a JSON object property, for where clauses on paths inside
// it ("spec.size.w").
type Gadget struct {
	ID   int64          `json:"id" data:"id,generated"`
	Name string         `json:"name"`
	Spec map[string]any `json:"spec,omitempty"`
}

func ptr[T any](v T) *T { return &v }
