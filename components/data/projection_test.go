package data_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/schema"
)

type projTodo struct {
	ID         int64      `json:"id"`
	Title      string     `json:"title"`
	Desc       string     `json:"desc,omitempty"`
	IsComplete bool       `json:"isComplete"`
	TodoListID int64      `json:"todoListId"`
	TodoList   *projList  `json:"todoList,omitempty"`
	Tags       []string   `json:"tags"`
	Note       string     `json:"note"`
	Items      []projItem `json:"items,omitempty"`
}

type projItem struct {
	N    int    `json:"n"`
	Name string `json:"name"`
}

type projList struct {
	ID    int64      `json:"id"`
	Title string     `json:"title"`
	Color string     `json:"color"`
	Todos []projTodo `json:"todos,omitempty"`
}

func TestProjectLeavesOutWhatFieldsDoesNotSelect(t *testing.T) {
	list := &projList{ID: 1, Title: "home", Color: "red", Todos: []projTodo{
		{ID: 2, Title: "a", TodoListID: 1, Tags: []string{"x"}, Note: "<b>&</b>"},
		{ID: 3, Title: "b", TodoListID: 1},
	}}
	cases := []struct {
		name   string
		v      any
		filter string
		want   string
	}{
		{"no fields: as json.Marshal", list, `{}`,
			`{"id":1,"title":"home","color":"red","todos":[{"id":2,"title":"a","isComplete":false,"todoListId":1,"tags":["x"],"note":"<b>&</b>"},{"id":3,"title":"b","isComplete":false,"todoListId":1,"tags":null,"note":""}]}`},
		{"selected", list, `{"fields":["title"]}`, `{"title":"home"}`},
		{"selected, included relation kept and its scope shaped", list,
			`{"fields":{"id":true},"include":[{"relation":"todos","scope":{"fields":["title","isComplete"]}}]}`,
			`{"id":1,"todos":[{"title":"a","isComplete":false},{"title":"b","isComplete":false}]}`},
		{"excluded", list.Todos, `{"fields":{"tags":false,"note":false,"todoListId":false}}`,
			`[{"id":2,"title":"a","isComplete":false},{"id":3,"title":"b","isComplete":false}]`},
		{"false beside true: only the true ones", list, `{"fields":{"title":true,"color":false}}`, `{"title":"home"}`},
		{"include without scope fields, top fields only", list,
			`{"fields":["id"],"include":["todos"]}`,
			`{"id":1,"todos":[{"id":2,"title":"a","isComplete":false,"todoListId":1,"tags":["x"],"note":"<b>&</b>"},{"id":3,"title":"b","isComplete":false,"todoListId":1,"tags":null,"note":""}]}`},
		{"a nested value of a kept property is kept whole", &projTodo{ID: 4, Items: []projItem{{1, "n"}}}, `{"fields":["items"]}`,
			`{"items":[{"n":1,"name":"n"}]}`},
		{"nil pointer", (*projTodo)(nil), `{"fields":["id"]}`, `null`},
		{"strings kept byte for byte", projTodo{Note: "\u2028é\"\\"}, `{"fields":["note"]}`, `{"note":"\u2028é\"\\"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := data.ParseFilter(tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			p := data.Project(tc.v, f)
			got, err := p.AppendJSON([]byte("prefix:"))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != "prefix:"+tc.want {
				t.Errorf("AppendJSON\n got %s\nwant prefix:%s", got, tc.want)
			}
			m, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var a, b any
			_ = json.Unmarshal(m, &a)
			_ = json.Unmarshal([]byte(tc.want), &b)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("json.Marshal\n got %s\nwant %s", m, tc.want)
			}
		})
	}
}

func TestProjectedIsDocumentedAsItsValue(t *testing.T) {
	r := schema.NewRegistry()
	got, err := schema.For[data.Projected[[]projTodo]](r, schema.Full)
	if err != nil {
		t.Fatal(err)
	}
	want, err := schema.For[[]projTodo](r, schema.Full)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Projected[[]T] schema %+v, want %+v", got, want)
	}
}

func ExampleProject() {
	type Todo struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
		Done  bool   `json:"isComplete"`
	}
	f, _ := data.ParseFilter(`{"fields":["id","isComplete"]}`)
	out, _ := json.Marshal(data.Project([]Todo{{ID: 1, Title: "ignored: not selected"}}, f))
	fmt.Println(string(out))
	// Output: [{"id":1,"isComplete":false}]
}
