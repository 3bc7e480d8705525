package openapiconn_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/openapiconn"
	"github.com/backplane-dev/backplane/components/service/servicetest"
	"github.com/backplane-dev/backplane/kernel"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// petstore31 is an OpenAPI 3.1 document.
const petstore31 = `{
  "openapi": "3.1.0",
  "info": {"title": "pets", "version": "1"},
  "servers": [{"url": "/v1"}],
  "paths": {
    "/pets": {
      "get": {
        "operationId": "listPets",
        "parameters": [
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
          {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
          {"name": "X-Tenant", "in": "header", "required": true, "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}}
      },
      "post": {
        "operationId": "createPet",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}},
        "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}
      }
    },
    "/pets/{petId}": {
      "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer"}}],
      "get": {
        "operationId": "showPetById",
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}
      }
    }
  },
  "components": {"schemas": {
    "Pet": {"type": "object", "required": ["id", "name"], "properties": {
      "id": {"type": "integer"}, "name": {"type": "string"}, "tag": {"type": ["string", "null"]}}},
    "NewPet": {"type": "object", "required": ["name"], "properties": {
      "name": {"type": "string", "minLength": 1}, "tag": {"type": ["string", "null"]}}}
  }}
}`

type Pet struct {
	ID   int64   `json:"id"`
	Name string  `json:"name"`
	Tag  *string `json:"tag,omitempty"`
}

type NewPet struct {
	Name string  `json:"name"`
	Tag  *string `json:"tag,omitempty"`
}

type (
	ListPets struct {
		Limit  int      `json:"limit,omitempty"`
		Tags   []string `json:"tags,omitempty"`
		Tenant string   `json:"X-Tenant"`
	}
	CreatePet struct {
		Body NewPet `json:"body"`
	}
	ShowPet struct {
		PetID int64 `json:"petId"`
	}
)

type Pets struct {
	ListPets    service.Op[ListPets, []Pet]
	CreatePet   service.Op[CreatePet, Pet]
	ShowPetByID service.Op[ShowPet, Pet] `op:"showPetById"`
}

var petsKey = kernel.NewKey[*Pets]("services.Pets")

// stub serves the document at /openapi.json and the API under /v1.
func stub(t *testing.T) *servicetest.Server {
	s := servicetest.New(t)
	s.Reply("GET", "/openapi.json", 200, "application/json", []byte(petstore31))
	s.Handle("GET", "/v1/pets", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode([]Pet{{ID: 1, Name: "Rex"}})
	})
	s.Handle("POST", "/v1/pets", func(w http.ResponseWriter, r *http.Request) {
		var p Pet
		json.NewDecoder(r.Body).Decode(&p)
		p.ID = 9
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(p)
	})
	s.JSON("GET", "/v1/pets/9", 200, Pet{ID: 9, Name: "Kit"})
	return s
}

func conformance(t *testing.T, p *Pets, s *servicetest.Server) {
	t.Helper()
	ctx := context.Background()
	list, err := p.ListPets.Call(ctx, ListPets{Limit: 5, Tags: []string{"a", "b"}, Tenant: "acme"})
	if err != nil || len(list) != 1 || list[0].Name != "Rex" {
		t.Fatalf("listPets: %v %v", list, err)
	}
	created, err := p.CreatePet.Call(ctx, CreatePet{Body: NewPet{Name: "Kit"}})
	if err != nil || created.ID != 9 {
		t.Fatalf("createPet: %v %v", created, err)
	}
	got, err := p.ShowPetByID.Call(ctx, ShowPet{PetID: 9})
	if err != nil || got.Name != "Kit" {
		t.Fatalf("showPetById: %v %v", got, err)
	}
	before := len(s.Requests())
	// Checked against the document before anything is sent.
	for name, call := range map[string]func() error{
		"limit over the maximum": func() error { _, err := p.ListPets.Call(ctx, ListPets{Limit: 500, Tenant: "acme"}); return err },
		"a required header":      func() error { _, err := p.ListPets.Call(ctx, ListPets{}); return err },
		"an empty name":          func() error { _, err := p.CreatePet.Call(ctx, CreatePet{Body: NewPet{}}); return err },
	} {
		err := call()
		var e *service.Error
		if !errors.As(err, &e) || e.Kind != service.KindInvalid {
			t.Errorf("%s: %v, want KindInvalid", name, err)
		}
	}
	if n := len(s.Requests()) - before; n != 0 {
		t.Errorf("%d invalid requests were sent", n)
	}
	reqs := s.Requests()
	var list0 servicetest.Request
	for _, r := range reqs {
		if r.Path == "/v1/pets" && r.Method == "GET" {
			list0 = r
		}
	}
	if list0.Query != "limit=5&tags=a&tags=b" || list0.Header.Get("X-Tenant") != "acme" {
		t.Errorf("listPets sent %q, X-Tenant %q", list0.Query, list0.Header.Get("X-Tenant"))
	}
}

// TestFromConfiguration: the document is fetched from the service's own
// /openapi.json; its relative server is resolved against it.
func TestFromConfiguration(t *testing.T) {
	s := stub(t)
	file := filepath.Join(t.TempDir(), "app.yaml")
	os.WriteFile(file, []byte("services:\n  pets:\n    connector: openapi\n    spec: "+s.URL+"/openapi.json\n"), 0o600)
	app := backplane.New("c", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(config.WithFiles(file)),
		service.Declare("pets"),
		service.Provide(petsKey, "pets", service.Facade[Pets]))
	backplanetest.Start(t, app)
	conformance(t, backplanetest.Resolve(t, app, petsKey), s)
	ops := backplanetest.Resolve(t, app, service.Key("pets")).Operations()
	if len(ops) != 3 || ops[0].Name != "createPet" || ops[1].Path != "/pets" || strings.Join(ops[2].Params, ",") != "petId" {
		t.Errorf("operations %+v", ops)
	}
}

// TestFromCode: the document is embedded; the base URL is configured.
func TestFromCode(t *testing.T) {
	s := stub(t)
	doc, err := openapi.Parse("pets.json", []byte(petstore31))
	if err != nil {
		t.Fatal(err)
	}
	app := backplane.New("c", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		service.Declare("pets", service.WithConnector(openapiconn.Name), service.WithBaseURL(s.URL+"/v1"), openapiconn.Document(doc)),
		service.Provide(petsKey, "pets", service.Facade[Pets]))
	backplanetest.Start(t, app)
	conformance(t, backplanetest.Resolve(t, app, petsKey), s)
	// untyped
	var m map[string]any
	svc := backplanetest.Resolve(t, app, service.Key("pets"))
	if err := svc.Call(context.Background(), "showPetById", map[string]any{"petId": 9}, &m); err != nil || m["name"] != "Kit" {
		t.Errorf("untyped: %v %v", m, err)
	}
}

// TestBadDocuments: a document the connector cannot use fails the start
// naming the construct and where it is.
func TestBadDocuments(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"cookie": {`{"openapi":"3.0.3","info":{"title":"x","version":"1"},"servers":[{"url":"http://127.0.0.1:1"}],"paths":{"/a":{"get":{"operationId":"a","parameters":[{"name":"s","in":"cookie","schema":{"type":"string"}}],"responses":{"200":{"description":"ok"}}}}}}`,
			`cookie parameters are not supported`},
		"xml body": {`{"openapi":"3.0.3","info":{"title":"x","version":"1"},"servers":[{"url":"http://127.0.0.1:1"}],"paths":{"/a":{"post":{"operationId":"a","requestBody":{"content":{"application/xml":{"schema":{"type":"object"}}}},"responses":{"200":{"description":"ok"}}}}}}`,
			`only JSON bodies are supported`},
		"no servers": {`{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"operationId":"a","responses":{"200":{"description":"ok"}}}}}}`,
			`no baseURL and the document has no servers`},
		"not a document": {`<html>`, `openapi`},
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "doc.json")
			os.WriteFile(file, []byte(tc.doc), 0o600)
			cfg := service.DefaultConfig()
			cfg.Connector = "openapi"
			cfg.Options = openapiconn.Options{Spec: file}
			_, err := service.Open(context.Background(), "x", cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
}
