package todoacceptance

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
)

var cases = []testCase{
	{name: "create returns 200 with the todo, unset properties absent", run: func(c *client) {
		r := c.jsonDo("POST", "/todos", Todo{"title": "buy milk"})
		c.expect(r, 200, "POST /todos")
		m := r.json(c.t).(map[string]any)
		if _, ok := m["id"].(float64); !ok {
			c.t.Fatalf("created todo has no numeric id: %s", r.body)
		}
		if m["title"] != "buy milk" {
			c.t.Fatalf("title: %s", r.body)
		}
		for _, k := range []string{"desc", "isComplete", "remindAtAddress", "remindAtGeo", "tag"} {
			if _, ok := m[k]; ok {
				c.t.Errorf("unset property %q is present (want absent, not null): %s", k, r.body)
			}
		}
	}},
	{name: "false and JSON values round-trip", run: func(c *client) {
		t := c.create(Todo{"title": "t", "isComplete": false, "tag": map[string]any{"x": []any{1.0, "y"}}})
		r := c.do("GET", "/todos/"+id(t), "", nil)
		c.expect(r, 200, "GET /todos/{id}")
		m := r.json(c.t).(map[string]any)
		if v, ok := m["isComplete"]; !ok || v != false {
			c.t.Errorf("isComplete:false must be present: %s", r.body)
		}
		if fmt.Sprint(m["tag"]) != "map[x:[1 y]]" {
			c.t.Errorf("tag: %s", r.body)
		}
	}},
	{name: "a body with id is rejected (additionalProperties)", run: func(c *client) {
		e := c.apiError(c.jsonDo("POST", "/todos", Todo{"id": 5, "title": "x"}), 422, "VALIDATION_FAILED")
		d := c.detail(e, 0)
		if d["code"] != "additionalProperties" || fmt.Sprint(d["info"]) != "map[additionalProperty:id]" {
			c.t.Errorf("detail: %v", d)
		}
	}},
	{name: "an unknown property is rejected", run: func(c *client) {
		e := c.apiError(c.jsonDo("POST", "/todos", Todo{"title": "x", "foo": 1}), 422, "VALIDATION_FAILED")
		if d := c.detail(e, 0); d["code"] != "additionalProperties" || d["path"] != "" {
			c.t.Errorf("detail: %v", d)
		}
	}},
	{name: "a missing title is rejected (required)", run: func(c *client) {
		e := c.apiError(c.jsonDo("POST", "/todos", Todo{"desc": "x"}), 422, "VALIDATION_FAILED")
		d := c.detail(e, 0)
		if d["code"] != "required" || fmt.Sprint(d["info"]) != "map[missingProperty:title]" {
			c.t.Errorf("detail: %v", d)
		}
	}},
	{name: "wrong types are rejected, never coerced", run: func(c *client) {
		e := c.apiError(c.jsonDo("POST", "/todos", Todo{"title": 5, "isComplete": "yes"}), 422, "VALIDATION_FAILED")
		var paths []string
		for i := range 2 {
			d := c.detail(e, i)
			if d["code"] != "type" {
				c.t.Errorf("detail %d: %v", i, d)
			}
			paths = append(paths, fmt.Sprint(d["path"]))
		}
		slices.Sort(paths)
		if !sameStrings(paths, []string{"/isComplete", "/title"}) {
			c.t.Errorf("paths: %v", paths)
		}
	}},
	{name: "a body that is not an object is rejected", run: func(c *client) {
		e := c.apiError(c.do("POST", "/todos", "application/json", []byte(`[1]`)), 422, "VALIDATION_FAILED")
		if d := c.detail(e, 0); d["code"] != "type" {
			c.t.Errorf("detail: %v", d)
		}
	}},
	{name: "malformed JSON is 400", run: func(c *client) {
		c.apiError(c.do("POST", "/todos", "application/json", []byte(`{"title":`)), 400, "")
	}},
	{name: "a non-JSON content type is 415", run: func(c *client) {
		c.apiError(c.do("POST", "/todos", "text/plain", []byte(`hello`)), 415, "UNSUPPORTED_MEDIA_TYPE")
	}},
	{name: "an empty or null body is a 4xx", strict: true, run: func(c *client) {
		for _, body := range []string{"", "null"} {
			r := c.do("POST", "/todos", "application/json", []byte(body))
			if r.status < 400 || r.status >= 500 {
				c.t.Errorf("body %q: status %d, want 4xx: %s", body, r.status, r.body)
			}
		}
	}},
	{name: "a non-numeric id is 400", run: func(c *client) {
		c.apiError(c.do("GET", "/todos/abc", "", nil), 400, "INVALID_PARAMETER_VALUE")
	}},
	{name: "an unknown id is 404 on every verb", run: func(c *client) {
		for _, m := range []string{"GET", "PATCH", "PUT", "DELETE"} {
			var r response
			if m == "GET" || m == "DELETE" {
				r = c.do(m, "/todos/987654321", "", nil)
			} else {
				r = c.jsonDo(m, "/todos/987654321", Todo{"title": "z"})
			}
			c.apiError(r, 404, "ENTITY_NOT_FOUND")
		}
	}},
	{name: "PUT replaces the whole todo", run: func(c *client) {
		t := c.create(Todo{"title": "old", "desc": "gone after PUT", "isComplete": true})
		c.expect(c.jsonDo("PUT", "/todos/"+id(t), Todo{"title": "new"}), 204, "PUT")
		m := c.do("GET", "/todos/"+id(t), "", nil).json(c.t).(map[string]any)
		if m["title"] != "new" || m["desc"] != nil || m["isComplete"] != nil {
			c.t.Errorf("after PUT: %v", m)
		}
	}},
	{name: "PUT with a different id is 400 and changes nothing", run: func(c *client) {
		t := c.create(Todo{"title": "keep"})
		n, _ := strconv.Atoi(id(t))
		r := c.jsonDo("PUT", "/todos/"+id(t), Todo{"id": n + 1000, "title": "changed"})
		c.apiError(r, 400, "")
		m := c.do("GET", "/todos/"+id(t), "", nil).json(c.t).(map[string]any)
		if m["title"] != "keep" {
			c.t.Errorf("PUT with a conflicting id changed the todo: %v", m)
		}
	}},
	{name: "PATCH merges", run: func(c *client) {
		t := c.create(Todo{"title": "a", "desc": "kept"})
		c.expect(c.jsonDo("PATCH", "/todos/"+id(t), Todo{"isComplete": true}), 204, "PATCH")
		m := c.do("GET", "/todos/"+id(t), "", nil).json(c.t).(map[string]any)
		if m["title"] != "a" || m["desc"] != "kept" || m["isComplete"] != true {
			c.t.Errorf("after PATCH: %v", m)
		}
	}},
	{name: "DELETE twice is 204 then 404", run: func(c *client) {
		t := c.create(Todo{"title": "del"})
		c.expect(c.do("DELETE", "/todos/"+id(t), "", nil), 204, "DELETE")
		c.apiError(c.do("DELETE", "/todos/"+id(t), "", nil), 404, "ENTITY_NOT_FOUND")
		c.apiError(c.do("GET", "/todos/"+id(t), "", nil), 404, "ENTITY_NOT_FOUND")
	}},
	{name: "the list is in ascending id order by default", run: func(c *client) {
		for range 3 {
			c.create(Todo{"title": unique("order")})
		}
		ts := c.list("/todos")
		for i := 1; i < len(ts); i++ {
			a, _ := ts[i-1]["id"].(float64)
			b, _ := ts[i]["id"].(float64)
			if a >= b {
				c.t.Fatalf("not ascending at %d: %v then %v", i, a, b)
			}
		}
	}},
	{name: "filter in JSON and exploded forms", run: func(c *client) {
		tag := unique("f")
		for _, s := range []string{"b", "a", "c"} {
			c.create(Todo{"title": tag + "-" + s, "desc": tag})
		}
		want := []string{tag + "-c", tag + "-b"}
		forms := []string{
			q(`{"where":{"desc":"` + tag + `"},"order":["title DESC"],"limit":2}`),
			"filter[where][desc]=" + url.QueryEscape(tag) + "&filter[order][0]=" + url.QueryEscape("title DESC") + "&filter[limit]=2",
			"filter[where][desc]=" + url.QueryEscape(tag) + "&filter[order]=" + url.QueryEscape("title DESC") + "&filter[limit]=2",
		}
		for _, f := range forms {
			if got := titles(c.list("/todos?" + f)); !sameStrings(got, want) {
				c.t.Errorf("%s: got %v, want %v", f, got, want)
			}
		}
		fields := c.list("/todos?filter[where][desc]=" + url.QueryEscape(tag) + "&filter[fields][title]=true")
		for _, f := range fields {
			if len(f) != 1 || f["title"] == nil {
				c.t.Errorf("fields: %v", f)
			}
		}
		skip := c.list("/todos?" + q(`{"where":{"desc":"`+tag+`"},"order":"title ASC","skip":1}`))
		if got := titles(skip); !sameStrings(got, []string{tag + "-b", tag + "-c"}) {
			c.t.Errorf("skip: %v", got)
		}
		or := c.list("/todos?" + q(`{"where":{"or":[{"title":"`+tag+`-a"},{"title":"`+tag+`-c"}]},"order":"title"}`))
		if got := titles(or); !sameStrings(got, []string{tag + "-a", tag + "-c"}) {
			c.t.Errorf("or: %v", got)
		}
		inq := c.list("/todos?filter[where][title][inq][0]=" + url.QueryEscape(tag+"-a") + "&filter[where][title][inq][1]=" + url.QueryEscape(tag+"-b") + "&filter[order]=title")
		if got := titles(inq); !sameStrings(got, []string{tag + "-a", tag + "-b"}) {
			c.t.Errorf("inq: %v", got)
		}
	}},
	{name: "bad limits, skips and filter keys are 400", run: func(c *client) {
		for _, f := range []string{"filter[limit]=0", "filter[limit]=-1", "filter[limit]=abc", "filter[skip]=-1", "filter[foo]=1", q(`{"limit":1.5}`), "filter=notjson"} {
			c.apiError(c.do("GET", "/todos?"+f, "", nil), 400, "INVALID_PARAMETER_VALUE")
		}
	}},
	{name: "where in the filter of GET /todos/{id} is 400", run: func(c *client) {
		t := c.create(Todo{"title": "w"})
		c.apiError(c.do("GET", "/todos/"+id(t)+"?"+q(`{"where":{"title":"w"}}`), "", nil), 400, "INVALID_PARAMETER_VALUE")
		r := c.do("GET", "/todos/"+id(t)+"?"+q(`{"fields":{"title":true}}`), "", nil)
		c.expect(r, 200, "GET /todos/{id} with fields")
		if m := r.json(c.t).(map[string]any); len(m) != 1 {
			c.t.Errorf("fields on find by id: %v", m)
		}
	}},
	{name: "unknown where properties, operators and order keys are 400", strict: true, run: func(c *client) {
		for _, f := range []string{"filter[where][nope]=1", "filter[where][title][nope]=1", "filter[order]=" + url.QueryEscape("nope DESC"), "filter[order]=" + url.QueryEscape("title; DROP TABLE todo")} {
			c.apiError(c.do("GET", "/todos?"+f, "", nil), 400, "INVALID_PARAMETER_VALUE")
		}
	}},
	{name: "count and update-all take where and answer {count}", run: func(c *client) {
		tag := unique("cnt")
		for range 3 {
			c.create(Todo{"title": tag})
		}
		where := url.QueryEscape(`{"title":"` + tag + `"}`)
		r := c.do("GET", "/todos/count?where="+where, "", nil)
		c.expect(r, 200, "count")
		if fmt.Sprint(r.json(c.t)) != "map[count:3]" {
			c.t.Errorf("count: %s", r.body)
		}
		r = c.jsonDo("PATCH", "/todos?where="+where, Todo{"isComplete": true})
		c.expect(r, 200, "PATCH /todos")
		if fmt.Sprint(r.json(c.t)) != "map[count:3]" {
			c.t.Errorf("update all: %s", r.body)
		}
		r = c.do("GET", "/todos/count?where="+url.QueryEscape(`{"title":"`+tag+`","isComplete":true}`), "", nil)
		if fmt.Sprint(r.json(c.t)) != "map[count:3]" {
			c.t.Errorf("count after update: %s", r.body)
		}
	}},
	{name: "an unknown route is 404 naming the endpoint", run: func(c *client) {
		e := c.apiError(c.do("GET", "/nope", "", nil), 404, "")
		if e["message"] != `Endpoint "GET /nope" not found.` {
			c.t.Errorf("message: %v", e["message"])
		}
	}},
}
