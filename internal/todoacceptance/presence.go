package todoacceptance

import "fmt"

// presenceCases hold the model-level rules LoopBack checks after the JSON
// schema, the media types an operation accepts, and the shape of include.
var presenceCases = []testCase{
	{name: "an empty required string is rejected on create (presence)", run: func(c *client) {
		e := c.apiError(c.jsonDo("POST", "/todos", Todo{"title": ""}), 422, "")
		c.presence(e, "title")
	}},
	{name: "an empty required string is rejected on replace (presence)", run: func(c *client) {
		t := c.create(Todo{"title": unique("replace")})
		e := c.apiError(c.jsonDo("PUT", "/todos/"+id(t), Todo{"title": ""}), 422, "")
		c.presence(e, "title")
		r := c.do("GET", "/todos/"+id(t), "", nil)
		c.expect(r, 200, "GET /todos/{id}")
		if m := r.json(c.t).(map[string]any); m["title"] != t["title"] {
			c.t.Errorf("a refused replace changed the todo: %s", r.body)
		}
	}},
	{name: "a whitespace title is present", run: func(c *client) {
		c.create(Todo{"title": " "})
	}},
	{name: "PATCH may set a required string to empty, as LoopBack allows", run: func(c *client) {
		t := c.create(Todo{"title": unique("patch")})
		c.expect(c.jsonDo("PATCH", "/todos/"+id(t), Todo{"title": ""}), 204, "PATCH /todos/{id}")
		r := c.do("GET", "/todos/"+id(t), "", nil)
		c.expect(r, 200, "GET /todos/{id}")
		if m := r.json(c.t).(map[string]any); m["title"] != "" {
			c.t.Errorf("title after PATCH \"\": %s", r.body)
		}
	}},
	{name: "an explicit null in an untyped property is kept", run: func(c *client) {
		r := c.do("POST", "/todos", "application/json", []byte(`{"title":"null tag","tag":null}`))
		c.expect(r, 200, "POST /todos")
		m := r.json(c.t).(map[string]any)
		if v, ok := m["tag"]; !ok || v != nil {
			c.t.Fatalf("create answer: want \"tag\": null, got %s", r.body)
		}
		g := c.do("GET", "/todos/"+id(m), "", nil)
		c.expect(g, 200, "GET /todos/{id}")
		if v, ok := g.json(c.t).(map[string]any)["tag"]; !ok || v != nil {
			c.t.Errorf("read back: want \"tag\": null, got %s", g.body)
		}
	}},
	{name: "a body in a media type the operation does not accept is 415", run: func(c *client) {
		for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"} {
			r := c.do("POST", "/todos", ct, []byte("title=x"))
			e := c.apiError(r, 415, "UNSUPPORTED_MEDIA_TYPE")
			if e["name"] != "UnsupportedMediaTypeError" {
				c.t.Errorf("%s: name %v", ct, e["name"])
			}
		}
		t := c.create(Todo{"title": unique("media")})
		c.apiError(c.do("PATCH", "/todos/"+id(t), "application/x-www-form-urlencoded", []byte("title=y")), 415, "UNSUPPORTED_MEDIA_TYPE")
		c.apiError(c.do("PUT", "/todos/"+id(t), "text/plain", []byte("title=y")), 415, "UNSUPPORTED_MEDIA_TYPE")
	}},
	{name: "a JSON body with a charset parameter is accepted", run: func(c *client) {
		r := c.do("POST", "/todos", "application/json; charset=utf-8", []byte(`{"title":"charset"}`))
		c.expect(r, 200, "POST /todos")
	}},
	{name: "include given as a plain string is rejected", run: func(c *client) {
		for _, qs := range []string{q(`{"include":"todos"}`), "filter[include]=todos"} {
			c.apiError(c.do("GET", "/todos?"+qs, "", nil), 400, "INVALID_PARAMETER_VALUE")
		}
	}},
}

func init() { cases = append(cases, presenceCases...) }

// presence checks LoopBack's ValidationError for a blank property.
func (c *client) presence(e map[string]any, prop string) {
	c.t.Helper()
	if e["name"] != "ValidationError" {
		c.t.Errorf("error.name = %v, want ValidationError", e["name"])
	}
	d, ok := e["details"].(map[string]any)
	if !ok {
		c.t.Fatalf("error.details is not an object: %v", e["details"])
	}
	if d["context"] != "Todo" {
		c.t.Errorf("details.context = %v, want Todo", d["context"])
	}
	if got := fmt.Sprint(d["codes"]); got != fmt.Sprintf("map[%s:[presence]]", prop) {
		c.t.Errorf("details.codes = %s", got)
	}
	if got := fmt.Sprint(d["messages"]); got != fmt.Sprintf("map[%s:[can't be blank]]", prop) {
		c.t.Errorf("details.messages = %s", got)
	}
}
