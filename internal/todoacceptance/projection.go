package todoacceptance

import (
	"net/url"
	"slices"
	"strings"
)

// projectionCases hold what `fields` does to an answer: a property it
// leaves out is absent, whatever its type, never a zero value.
var projectionCases = []testCase{
	{name: "fields leaves unselected properties out of the answer", run: func(c *client) {
		t := c.create(Todo{"title": unique("fields"), "desc": "d", "isComplete": false})
		check := func(path string, want ...string) {
			c.t.Helper()
			r := c.do("GET", path, "", nil)
			c.expect(r, 200, "GET "+path)
			var objs []map[string]any
			switch v := r.json(c.t).(type) {
			case map[string]any:
				objs = append(objs, v)
			case []any:
				for _, o := range v {
					objs = append(objs, o.(map[string]any))
				}
			}
			if len(objs) == 0 {
				c.t.Fatalf("GET %s: no todo in %s", path, r.body)
			}
			for _, o := range objs {
				var got []string
				for k := range o {
					got = append(got, k)
				}
				slices.Sort(got)
				if strings.Join(got, ",") != strings.Join(want, ",") {
					c.t.Errorf("GET %s: properties %v, want %v (%s)", path, got, want, r.body)
				}
			}
		}
		check("/todos/"+id(t)+"?filter[fields][0]=id&filter[fields][1]=desc", "desc", "id")
		check("/todos/"+id(t)+"?"+q(`{"fields":{"title":true}}`), "title")
		check("/todos?"+q(`{"fields":["id","isComplete"],"where":{"id":`+id(t)+`}}`), "id", "isComplete")
		check("/todos?filter[fields][title]=true&filter[where][id]="+url.QueryEscape(id(t)), "title")
		// Excluding names the properties to leave out; the rest stay.
		r := c.do("GET", "/todos/"+id(t)+"?"+q(`{"fields":{"desc":false,"isComplete":false}}`), "", nil)
		c.expect(r, 200, "GET /todos/{id} excluding")
		m := r.json(c.t).(map[string]any)
		if _, ok := m["desc"]; ok {
			c.t.Errorf("excluded desc is in the answer: %s", r.body)
		}
		if _, ok := m["isComplete"]; ok {
			c.t.Errorf("excluded isComplete is in the answer: %s", r.body)
		}
		if m["title"] != t["title"] {
			c.t.Errorf("title missing when only desc is excluded: %s", r.body)
		}
	}},
}

func init() { cases = append(cases, projectionCases...) }
