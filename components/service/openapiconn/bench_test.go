package openapiconn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/openapiconn"
)

// BenchmarkOpenAPIConnectorCall compares a typed call through the
// OpenAPI connector (the path parameter checked against the document,
// the policy) with its hand-written net/http twin, against the same
// local server.
func BenchmarkOpenAPIConnectorCall(b *testing.B) {
	body := []byte(`{"id":9,"name":"Kit"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	ctx := context.Background()
	b.Run("connector", func(b *testing.B) {
		doc, err := openapi.Parse("pets.json", []byte(petstore31))
		if err != nil {
			b.Fatal(err)
		}
		cfg := service.DefaultConfig()
		cfg.Connector, cfg.BaseURL = "openapi", srv.URL+"/v1"
		openapiconn.Document(doc)(&cfg)
		s, err := service.Open(ctx, "pets", cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Stop(ctx)
		op, err := service.OpOf[ShowPet, Pet](s, "showPetById")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			p, err := op.Call(ctx, ShowPet{PetID: 9})
			if err != nil || p.Name != "Kit" {
				b.Fatal(p, err)
			}
		}
	})
	b.Run("net/http", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConns: 32, MaxIdleConnsPerHost: 32}}
		defer client.CloseIdleConnections()
		get := func(ctx context.Context, id int64) (Pet, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v1/pets/%d", srv.URL, id), nil)
			if err != nil {
				return Pet{}, err
			}
			req.Header.Set("Accept", "application/json")
			res, err := client.Do(req)
			if err != nil {
				return Pet{}, err
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return Pet{}, fmt.Errorf("status %s", res.Status)
			}
			var p Pet
			err = json.NewDecoder(io.LimitReader(res.Body, 10<<20)).Decode(&p)
			return p, err
		}
		b.ReportAllocs()
		for b.Loop() {
			p, err := get(ctx, 9)
			if err != nil || p.Name != "Kit" {
				b.Fatal(p, err)
			}
		}
	})
}
