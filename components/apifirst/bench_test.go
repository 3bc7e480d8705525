package apifirst_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apifirst"
	"github.com/backplane-dev/backplane/components/rest"
)

// codeFirstShow is ShowInput with the document's constraints as tags, so
// that both routes validate the same things.
type codeFirstShow struct {
	ID    int64  `path:"petId"`
	Trace string `header:"X-Trace" required:"true" pattern:"^[a-z]+$"`
}

func show(_ context.Context, in *ShowInput) (Pet, error) {
	return Pet{ID: in.ID, Kind: "cat", Name: "Tom"}, nil
}

func showCodeFirst(_ context.Context, in *codeFirstShow) (Pet, error) {
	return Pet{ID: in.ID, Kind: "cat", Name: "Tom"}, nil
}

// BenchmarkRoute is the pair the document-first cost is judged by: GET
// /pets/{petId} with a header, declared code-first and bound from
// pets.yaml, served in process.
func BenchmarkRoute(b *testing.B) {
	quiet := backplane.WithLogger(slog.New(slog.DiscardHandler))
	for _, c := range []struct {
		name string
		app  func() *backplane.App
	}{
		{"code-first", func() *backplane.App {
			return backplane.New("pets", quiet, rest.Component(), rest.AddRoutes("pets", func(r *rest.Router) {
				rest.Get(r, "/pets/{petId}", showCodeFirst)
			}))
		}},
		{"document-first", func() *backplane.App {
			return backplane.New("pets", quiet, rest.Component(),
				apifirst.Component(apifirst.File("testdata/pets.yaml"), apifirst.AllowUnimplemented()),
				backplane.Controller(&binder{bind: func(r *rest.Router, api *apifirst.API) {
					apifirst.Handle(r, api, "showPet", show)
				}}))
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			app := c.app()
			if err := app.Init(context.Background()); err != nil {
				b.Fatal(err)
			}
			srv, _ := rest.ServerOf(app)
			req := httptest.NewRequest("GET", "/pets/7", nil)
			req.Header.Set("X-Trace", "abc")
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
				_, _ = io.Discard.Write(w.Body.Bytes())
			}
		})
	}
}
