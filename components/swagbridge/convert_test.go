package swagbridge_test

import (
	"os"
	"strings"
	"testing"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/swagbridge"
)

// A Swagger 2.0 document with what swag's fixture does not use
// (internal/interop/testdata/swagger2.json is a copy: kin-openapi
// validates its conversion there).
const swagger2Doc = `{
  "swagger": "2.0",
  "info": {"title": "Files", "version": "2"},
  "basePath": "/v2/",
  "consumes": ["application/json"],
  "produces": ["application/json"],
  "securityDefinitions": {
    "basic": {"type": "basic"},
    "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
    "oauth": {"type": "oauth2", "flow": "application", "tokenUrl": "https://auth.example.com/token", "scopes": {"files:read": "read files"}}
  },
  "security": [{"key": []}],
  "parameters": {
    "page": {"name": "page", "in": "query", "type": "integer", "format": "int32", "minimum": 1, "default": 1}
  },
  "responses": {
    "NotFound": {"description": "No such file", "schema": {"$ref": "#/definitions/api.Error"}}
  },
  "paths": {
    "/files": {
      "get": {
        "parameters": [
          {"$ref": "#/parameters/page"},
          {"name": "tag", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
          {"name": "X-Trace", "in": "header", "type": "string"}
        ],
        "responses": {"200": {"description": "OK", "schema": {"type": "array", "items": {"$ref": "#/definitions/api.File"}},
          "headers": {"X-Total": {"type": "integer", "description": "How many"}}}}
      },
      "post": {
        "consumes": ["multipart/form-data"],
        "security": [{"oauth": ["files:read"]}],
        "parameters": [
          {"name": "file", "in": "formData", "type": "file", "required": true},
          {"name": "note", "in": "formData", "type": "string"}
        ],
        "responses": {"201": {"description": "Created"}}
      }
    },
    "/files/{name}": {
      "parameters": [{"name": "name", "in": "path", "required": true, "type": "string"}],
      "delete": {"responses": {"204": {"description": "Deleted"}, "404": {"$ref": "#/responses/NotFound"}}}
    }
  },
  "definitions": {
    "api.File": {"type": "object", "required": ["name"], "properties": {
      "name": {"type": "string"}, "size": {"type": "integer"}, "owner": {"$ref": "#/definitions/api.User", "x-nullable": true},
      "labels": {"type": "object", "additionalProperties": {"type": "string"}}
    }},
    "api.User": {"type": "object", "additionalProperties": false, "properties": {"id": {"type": "integer", "format": "int64"}}},
    "api.Error": {"type": "object", "properties": {"message": {"type": "string"}}},
    "generic.Page-api_File": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/definitions/api.File"}}}}
  }
}`

func TestConvert(t *testing.T) {
	d, err := swagbridge.Convert([]byte(swagger2Doc))
	if err != nil {
		t.Fatal(err)
	}
	list := d.Operation("GET", "/v2/files")
	if list == nil {
		t.Fatalf("paths: %v", d.Paths)
	}
	if list.OperationID != "getV2Files" || list.Summary != "Get V2 files" || list.Tags[0] != "v2" {
		t.Errorf("derived: %q %q %v", list.OperationID, list.Summary, list.Tags)
	}
	if p := list.Parameters[0]; p.Ref != "#/components/parameters/page" {
		t.Errorf("parameter ref: %+v", p)
	}
	if p := list.Parameters[1]; p.Style != "form" || p.Explode == nil || !*p.Explode || p.Schema.Items.Type != "string" {
		t.Errorf("multi array: %+v", p)
	}
	if h := list.Responses["200"].Headers["X-Total"]; h == nil || h.Schema.Format != "int64" || h.Description != "How many" {
		t.Errorf("header: %+v", h)
	}
	upload := d.Operation("POST", "/v2/files")
	form := upload.RequestBody.Content["multipart/form-data"]
	if form == nil || form.Schema.Properties["file"].Format != "binary" || !upload.RequestBody.Required || form.Schema.Required[0] != "file" {
		t.Errorf("form body: %+v", upload.RequestBody)
	}
	if upload.Security[0]["oauth"][0] != "files:read" {
		t.Errorf("security: %v", upload.Security)
	}
	del := d.Operation("DELETE", "/v2/files/{name}")
	if del.Parameters[0].Name != "name" || !del.Parameters[0].Required || del.Responses["404"].Ref != "#/components/responses/NotFound" {
		t.Errorf("delete: %+v", del)
	}
	if s := d.Components.SecuritySchemes; s["basic"].Scheme != "basic" || s["key"].In != "header" || s["oauth"].Flows.ClientCredentials.TokenURL == "" {
		t.Errorf("security schemes: %+v", s)
	}
	file := d.Components.Schemas["api.File"]
	if file.Properties["size"].Format != "int64" || !file.Properties["owner"].Nullable || file.Properties["labels"].AdditionalProperties.Type != "string" {
		t.Errorf("api.File: %+v", file)
	}
	if !d.Components.Schemas["api.User"].NoAdditional {
		t.Error("additionalProperties: false lost")
	}
	if d.Components.Schemas["generic.Page-api_File"] == nil {
		t.Error("generic definition name lost")
	}
	for _, v := range []openapi.Version{openapi.V30, openapi.V31} {
		if _, err := d.Marshal(v, openapi.JSON); err != nil {
			t.Errorf("%s: %v", v, err)
		}
	}
}

func TestConvertRejectsWhatItCannotRead(t *testing.T) {
	for in, want := range map[string]string{
		`{`:                   "read Swagger 2.0 document",
		`{"openapi":"3.0.3"}`: "not a Swagger 2.0 document",
		`{"swagger":"2.0","definitions":{"A":{"$ref":"http://x/y"}}}`:                                            `definition "A": unsupported $ref`,
		`{"swagger":"2.0","paths":{"/a":{"get":{"parameters":[{"$ref":"#/parameters/nope"}]}}}}`:                 `no such parameter`,
		`{"swagger":"2.0","definitions":{"A":{"type":7}}}`:                                                       "neither a string nor a list",
		`{"swagger":"2.0","paths":{"/a":{"get":{"responses":{"200":{"description":"x","schema":{"$ref":5}}}}}}}`: "GET /a",
	} {
		_, err := swagbridge.Convert([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error containing %q", in, err, want)
		}
	}
}

func FuzzConvert(f *testing.F) {
	fixture, err := os.ReadFile("../../internal/swagfixture/docs/legacy_swagger.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte(swagger2Doc))
	f.Add([]byte(`{"swagger":"2.0","paths":{"/a/{b}":{"get":{}}}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := swagbridge.Convert(in)
		if err != nil {
			return
		}
		// Whatever converts must write, in both versions and formats.
		for _, v := range []openapi.Version{openapi.V30, openapi.V31} {
			for _, format := range []openapi.Format{openapi.JSON, openapi.YAML} {
				if _, err := d.Marshal(v, format); err != nil {
					t.Fatalf("%s %s: %v", v, format, err)
				}
			}
		}
		b := openapi.NewBuilder(openapi.Info{Title: "t", Version: "1"})
		_ = b.Merge(d, "fuzz")
	})
}
