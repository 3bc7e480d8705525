package apifirst_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apifirst"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/rest/resttest"
)

// Pet holds every alternative of the document's Pet (a oneOf of Cat and
// Dog, told apart by kind).
type Pet struct {
	ID       int64   `json:"id,omitempty"`
	Kind     string  `json:"kind"`
	Name     string  `json:"name"`
	Nickname *string `json:"nickname,omitempty"`
	Lives    *int    `json:"lives,omitempty"`
	GoodBoy  *bool   `json:"goodBoy,omitempty"`
}

type (
	ListInput struct {
		Limit *int32  `query:"limit"`
		Kind  *string `query:"kind"`
	}
	CreateInput struct {
		Body Pet `body:""`
	}
	ShowInput struct {
		ID    int64  `path:"petId"`
		Trace string `header:"X-Trace"`
	}
)

type PetController struct {
	API  *apifirst.API `inject:"apifirst.api"`
	pets []Pet
}

func (c *PetController) Routes(r *rest.Router) {
	apifirst.Handle(r, c.API, "listPets", c.List)
	apifirst.Handle(r, c.API, "createPet", c.Create)
	apifirst.Handle(r, c.API, "showPet", c.Show)
}

func (c *PetController) List(_ context.Context, in *ListInput) ([]Pet, error) {
	out := []Pet{}
	for _, p := range c.pets {
		if in.Kind == nil || p.Kind == *in.Kind {
			out = append(out, p)
		}
	}
	if in.Limit != nil && int(*in.Limit) < len(out) {
		out = out[:*in.Limit]
	}
	return out, nil
}

func (c *PetController) Create(_ context.Context, in *CreateInput) (Pet, error) {
	p := in.Body
	p.ID = int64(len(c.pets) + 1)
	c.pets = append(c.pets, p)
	return p, nil
}

func (c *PetController) Show(_ context.Context, in *ShowInput) (Pet, error) {
	if in.ID < 1 || int(in.ID) > len(c.pets) {
		return Pet{}, rest.NewError(http.StatusNotFound, rest.CodeEntityNotFound, "no such pet")
	}
	return c.pets[in.ID-1], nil
}

func petsApp(extra ...backplane.Component) *backplane.App {
	return backplane.New("pets", append([]backplane.Component{
		config.Component(),
		rest.Component(),
		health.Component(),
		openapi.Component(),
		backplane.Controller(&PetController{}),
		// A code-first route beside the document's operations.
		rest.AddRoutes("version", func(r *rest.Router) {
			rest.Get(r, "/version", func(context.Context, *rest.Empty) (string, error) { return "1.0.0", nil }, rest.Summary("The server's version"))
		}),
	}, extra...)...)
}

func TestServeAGivenDocument(t *testing.T) {
	c := resttest.Start(t, petsApp(apifirst.Component(apifirst.File("testdata/pets.yaml"), apifirst.Unimplemented("deletePet"))))

	var created Pet
	c.Post("/pets", `{"kind":"cat","name":"Tom","lives":9}`).Status(201).JSON(&created)
	if created.ID != 1 || created.Kind != "cat" {
		t.Fatalf("created %+v", created)
	}
	c.Post("/pets", `{"kind":"dog","name":"Rex","goodBoy":true,"nickname":null}`).Status(201)

	// Parameters, bodies and headers are validated from the document.
	c.Get("/pets?limit=0").Error(400, rest.CodeInvalidParameter)
	c.Get("/pets?limit=abc").Error(400, rest.CodeInvalidParameter)
	c.Get("/pets?kind=cow").Error(400, rest.CodeInvalidParameter)
	var dogs []Pet
	c.Get("/pets?kind=dog&limit=5").Status(200).JSON(&dogs)
	if len(dogs) != 1 || dogs[0].Name != "Rex" {
		t.Errorf("dogs: %+v", dogs)
	}
	for body, code := range map[string]string{
		`{"kind":"cow","name":"x"}`:            "discriminator",
		`{"kind":"cat","name":"x","id":3}`:     "readOnly",
		`{"kind":"cat","name":""}`:             "minLength",
		`{"kind":"cat","name":"x","lives":10}`: "maximum",
		`{"kind":"cat"}`:                       "required",
	} {
		e := c.Post("/pets", body).Error(422, rest.CodeValidationFailed)
		if !strings.Contains(string(e.Details), `"code":"`+code+`"`) {
			t.Errorf("%s: details %s, want code %s", body, e.Details, code)
		}
	}
	c.Post("/pets", "kind=cat", "Content-Type", "application/x-www-form-urlencoded").Error(415, rest.CodeUnsupportedMediaType)
	c.Get("/pets/1").Error(400, rest.CodeMissingParameter)
	c.Get("/pets/1", "X-Trace", "ABC").Error(400, rest.CodeInvalidParameter)
	c.Get("/pets/x", "X-Trace", "abc").Error(400, rest.CodeInvalidParameter)
	c.Get("/pets/9", "X-Trace", "abc").Error(404, rest.CodeEntityNotFound)
	var tom Pet
	c.Get("/pets/1", "X-Trace", "abc").Status(200).JSON(&tom)
	if tom.Name != "Tom" {
		t.Errorf("pet 1: %+v", tom)
	}
	// An operation allowed to be unimplemented answers 501.
	c.Delete("/pets/1").Error(501, apifirst.CodeNotImplemented)

	c.Get("/version").Status(200)
	c.Get("/ready").Status(200)

	// The served document is the given one, with the code-first route
	// joined, and the same bytes each time.
	doc := c.Get(openapi.PathJSON).Status(200)
	var served map[string]any
	doc.JSON(&served)
	paths := served["paths"].(map[string]any)
	for _, p := range []string{"/pets", "/pets/{petId}", "/version"} {
		if paths[p] == nil {
			t.Errorf("the served document has no %s", p)
		}
	}
	if served["info"].(map[string]any)["title"] != "Pets" {
		t.Errorf("info: %v", served["info"])
	}
	if p := paths["/pets/{petId}"].(map[string]any); p["delete"] == nil || p["parameters"] == nil {
		t.Errorf("/pets/{petId}: %v", p)
	}
	again := c.Get(openapi.PathJSON).Status(200)
	if string(doc.Body) != string(again.Body) {
		t.Error("the document changed between requests")
	}
}

func TestUnboundOperationsFailTheStart(t *testing.T) {
	app := petsApp(apifirst.Component(apifirst.File("testdata/pets.yaml")))
	err := app.Start(context.Background())
	if err == nil {
		_ = app.Stop(context.Background())
		t.Fatal("started with deletePet unbound")
	}
	for _, want := range []string{"1 operation(s) of testdata/pets.yaml have no handler", "operation deletePet (DELETE /pets/{petId}, testdata/pets.yaml:64:7)", "apifirst.Unimplemented"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// binder is a controller that binds what a test says.
type binder struct {
	API  *apifirst.API `inject:"apifirst.api"`
	bind func(r *rest.Router, api *apifirst.API)
}

func (b *binder) Routes(r *rest.Router) { b.bind(r, b.API) }

func TestResponsesCheckedInDevelopment(t *testing.T) {
	app := backplane.New("pets", config.Component(), rest.Component(), openapi.Component(),
		apifirst.Component(apifirst.File("testdata/pets.yaml"), apifirst.AllowUnimplemented()),
		backplane.Controller(&binder{bind: func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "listPets", func(context.Context, *ListInput) ([]Pet, error) {
				return []Pet{{Kind: "cat", Name: ""}}, nil // name has minLength 1
			})
		}}))
	c := resttest.Start(t, app, "apifirst.responses=fail")
	// The details are logged; a 5xx says nothing of its cause.
	c.Get("/pets").Error(500, apifirst.CodeResponseContract)
}

// mismatch is a handler whose types do not fit an operation.
type mismatch struct {
	name string
	bind func(r *rest.Router, api *apifirst.API)
	want []string
}

func TestHandlerTypesAreCheckedAtStart(t *testing.T) {
	type noTrace struct {
		ID int64 `path:"petId"`
	}
	type kindAsInt struct {
		Kind *int `query:"kind"`
	}
	type floatID struct {
		ID    float32 `path:"petId"`
		Trace string  `header:"X-Trace"`
	}
	type extraParam struct {
		Limit *int32 `query:"limit"`
		Page  int    `query:"page"`
	}
	type nameless struct {
		Kind string `json:"kind"`
	}
	type lossyBody struct {
		Body struct {
			Kind string `json:"kind"`
		} `body:""`
	}
	type stringy struct {
		ID    string `json:"id"`
		Kind  string `json:"kind"`
		Name  string `json:"name,omitempty"`
		Lives string `json:"lives"`
	}
	for _, m := range []mismatch{
		{"required parameter without a field", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "showPet", func(context.Context, *noTrace) (Pet, error) { return Pet{}, nil })
		}, []string{"operation showPet (GET /pets/{petId}, testdata/pets.yaml:48:7) does not fit its handler", "testdata/pets.yaml:51:11 #/paths/~1pets~1{petId}/get/parameters/0", `the required header parameter "X-Trace" has no field`}},
		{"field type cannot hold the schema's", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "listPets", func(context.Context, *kindAsInt) ([]Pet, error) { return nil, nil })
		}, []string{"testdata/pets.yaml:16:26 #/paths/~1pets/get/parameters/1/schema/type (Go: kindAsInt.Kind)", "the schema is a string; int is not"}},
		{"number into a float32 path parameter is fine, an integer response into float is not", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "showPet", func(context.Context, *floatID) (struct {
				ID   float64 `json:"id"`
				Kind string  `json:"kind"`
				Name string  `json:"name"`
			}, error) {
				return struct {
					ID   float64 `json:"id"`
					Kind string  `json:"kind"`
					Name string  `json:"name"`
				}{}, nil
			})
		}, []string{"#/components/schemas/Base/properties/id/type", "the schema is an integer; float64 may hold 1.5"}},
		{"field reads an undeclared parameter", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "listPets", func(context.Context, *extraParam) ([]Pet, error) { return nil, nil })
		}, []string{"(Go: extraParam.Page)", `reads the query parameter "page", which the operation does not declare`}},
		{"response cannot produce a required property", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "createPet", func(context.Context, *CreateInput) (nameless, error) { return nameless{}, nil })
		}, []string{"testdata/pets.yaml:80:17 #/components/schemas/Base/required", `the required property "name" has no field in apifirst_test.nameless, so responses never have it`}},
		{"request body loses a required property", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "createPet", func(context.Context, *lossyBody) (Pet, error) { return Pet{}, nil })
		}, []string{`the required property "name" has no field`, "its value would be lost"}},
		{"omitempty on a required property, a string for an integer", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "listPets", func(context.Context, *ListInput) ([]stringy, error) { return nil, nil })
		}, []string{`the required property "name" may be left out: drop omitempty from stringy.Name`, "#/components/schemas/Base/properties/id/type", "the schema is an integer; string is not a number"}},
		{"no content for a response with a body", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "listPets", func(context.Context, *ListInput) (rest.NoContent, error) { return rest.NoContent{}, nil })
		}, []string{"the handler returns rest.NoContent, but the 200 response has a body"}},
		{"unknown operation", func(r *rest.Router, api *apifirst.API) {
			apifirst.Handle(r, api, "listPet", func(context.Context, *ListInput) ([]Pet, error) { return nil, nil })
		}, []string{`Handle("listPet"): testdata/pets.yaml has no such operation (did you mean "listPets"?)`}},
	} {
		t.Run(m.name, func(t *testing.T) {
			app := backplane.New("pets", config.Component(), rest.Component(), openapi.Component(),
				apifirst.Component(apifirst.File("testdata/pets.yaml"), apifirst.AllowUnimplemented()),
				backplane.Controller(&binder{bind: m.bind}))
			err := app.Start(context.Background())
			if err == nil {
				_ = app.Stop(context.Background())
				t.Fatal("started")
			}
			for _, w := range m.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestBadDocumentFailsTheStart(t *testing.T) {
	app := backplane.New("pets", config.Component(), rest.Component(), openapi.Component(),
		apifirst.Component(apifirst.File("testdata/unresolved.yaml")))
	err := app.Start(context.Background())
	if err == nil {
		_ = app.Stop(context.Background())
		t.Fatal("started")
	}
	if !strings.Contains(err.Error(), `testdata/unresolved.yaml:10:55: /paths/~1a/get/responses/200/content/application~1json/schema/$ref: $ref "#/components/schemas/Nope": no such schema`) {
		t.Errorf("err = %v", err)
	}
}
