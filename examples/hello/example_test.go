package hello_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/examples/hello"
)

// Example initializes the application without listening and serves
// requests in process.
func Example() {
	app := hello.New()
	if err := app.Init(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	srv, err := rest.ServerOf(app)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range []struct{ method, target, body string }{
		{"GET", "/greet/Ada?shout=true", ""},
		{"POST", "/notes", `{"title":"Buy milk","priority":2}`},
		{"POST", "/notes", `{"title":"Buy milk","priority":9}`},
	} {
		req := httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// 200 {"message":"HELLO, ADA."}
	// 200 {"id":1,"title":"Buy milk","priority":2}
	// 422 {"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object `details` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"/priority","code":"maximum","message":"must be <= 5","info":{"comparison":"<=","limit":5}}]}}
}
