package restconn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/restconn"
)

// benchServer answers GET /pets/{id} with a small JSON pet.
func benchServer(b *testing.B) *httptest.Server {
	body := []byte(`{"id":7,"name":"Rex","kind":"dog"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkRESTConnectorCall compares a typed call through the REST
// connector (template, policy: timeouts, breaker, bulkhead, limit) with
// its hand-written net/http twin, against the same local server.
func BenchmarkRESTConnectorCall(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("connector", func(b *testing.B) {
		cfg := service.DefaultConfig()
		cfg.Connector, cfg.BaseURL = "rest", srv.URL
		cfg.Options = restconn.Options{Operations: []restconn.Operation{{Name: "getPet", URL: "/pets/{id}"}}}
		s, err := service.Open(ctx, "pets", cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Stop(ctx)
		op, err := service.OpOf[petByID, Pet](s, "getPet")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			p, err := op.Call(ctx, petByID{ID: 7})
			if err != nil || p.Name != "Rex" {
				b.Fatal(p, err)
			}
		}
	})
	b.Run("net/http", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConns: 32, MaxIdleConnsPerHost: 32}}
		defer client.CloseIdleConnections()
		get := func(ctx context.Context, id int64) (Pet, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/pets/%d", srv.URL, id), nil)
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
			p, err := get(ctx, 7)
			if err != nil || p.Name != "Rex" {
				b.Fatal(p, err)
			}
		}
	})
}
