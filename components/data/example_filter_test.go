package data_test

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/backplane-dev/backplane/components/data"
)

// A filter from a query string in LoopBack's exploded form.
func ExampleFilter_UnmarshalQuery() {
	q, _ := url.ParseQuery("filter[where][isComplete]=false&filter[order][0]=title DESC&filter[limit]=2")
	var f data.Filter
	if err := f.UnmarshalQuery("filter", q); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.Marshal(&f)
	fmt.Println(string(b))
	// Output: {"limit":2,"order":["title DESC"],"where":{"isComplete":"false"}}
}

// Filters that cannot be read answer with LoopBack's message and
// details.
func ExampleFilterError() {
	q, _ := url.ParseQuery("filter[limit]=-1")
	var f data.Filter
	err := f.UnmarshalQuery("filter", q)
	fe := err.(*data.FilterError)
	fmt.Println(fe.StatusCode(), fe.ErrorCode())
	fmt.Println(fe.Error())
	fmt.Printf("%+v\n", fe.Details[0])
	// Output:
	// 400 INVALID_PARAMETER_VALUE
	// Invalid data {"limit":-1} for parameter "filter".
	// {Path:/limit Code:minimum Message:must be >= 1 Info:map[comparison:>= limit:1]}
}

// Where clauses built in Go.
func ExampleProp() {
	w := data.Prop("isComplete").Eq(false).And(
		data.Or(data.Prop("title").Like("%milk%"), data.Prop("priority").Gte(3)),
	)
	b, _ := json.Marshal(w)
	fmt.Println(string(b))
	// Output: {"isComplete":false,"or":[{"title":{"like":"%milk%"}},{"priority":{"gte":3}}]}
}

// A model's metadata: properties, columns, the id.
func ExampleModelOf() {
	type Todo struct {
		ID         int64  `json:"id" data:"id,generated"`
		Title      string `json:"title" required:"true" data:"index"`
		IsComplete bool   `json:"isComplete" data:"column=done"`
		Secret     string `json:"secret" data:"hidden"`
	}
	m, _ := data.ModelOf[Todo]()
	fmt.Println(m.Name(), m.Table, m.ID.Name)
	for _, p := range m.Props {
		fmt.Println(p.Name, p.Column, p.Kind, p.Hidden)
	}
	// Output:
	// Todo todo id
	// id id integer false
	// title title string false
	// isComplete done boolean false
	// secret secret string true
}
