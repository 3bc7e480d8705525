package todoclient_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/service"
	todoclient "github.com/backplane-dev/backplane/examples/todo-client"
	"github.com/backplane-dev/backplane/kernel"
)

var (
	buildOnce sync.Once
	todoBin   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if todoBin != "" {
		os.RemoveAll(filepath.Dir(todoBin))
	}
	os.Exit(code)
}

// startTodo builds the todo example and runs it in a process of its
// own on a free port of 127.0.0.1, on the memory connector; it returns
// its base URL and a function that kills it.
func startTodo(t *testing.T) (string, func()) {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "todo-client-test")
		if err != nil {
			buildErr = err
			return
		}
		todoBin = filepath.Join(dir, "todo")
		if out, err := exec.Command("go", "build", "-o", todoBin, "github.com/backplane-dev/backplane/examples/todo/cmd/todo").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build the todo example: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	bin := todoBin
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "serve", "--set", fmt.Sprintf("rest.port=%d", port), "--set", "rest.host=127.0.0.1",
		"--set", "datasources.db.connector=memory", "--set", "datasources.db.file=", "--set", "log.level=error")
	cmd.Dir = t.TempDir()
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
	t.Cleanup(stop)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/ready")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return base, stop
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the todo example did not get ready at %s: %v", base, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTwoProcesses: the client reads the todo API's /openapi.json when
// it starts, checks its facade against it, and calls it; when the todo
// API goes away the client answers 503 in LoopBack's envelope and goes
// on serving.
func TestTwoProcesses(t *testing.T) {
	base, stop := startTodo(t)
	c := resttest.Start(t, todoclient.New(), "services.todos.baseURL="+base, "log.level=error")

	var created todoclient.Todo
	c.Post("/quick-todos", map[string]string{"title": "buy milk"}).Status(200).JSON(&created)
	c.Post("/quick-todos", map[string]string{"title": "walk the dog"}).Status(200)
	if created.ID == 0 || created.Title != "buy milk" {
		t.Fatalf("created %+v", created)
	}
	http.DefaultClient.Do(mustReq(t, "PATCH", fmt.Sprintf("%s/todos/%d", base, created.ID), `{"isComplete":true}`))

	var s todoclient.Summary
	c.Get("/summary").Status(200).JSON(&s)
	if s.Total != 2 || s.Done != 1 || strings.Join(s.Pending, ",") != "walk the dog" {
		t.Fatalf("summary %+v", s)
	}
	c.Post("/quick-todos", map[string]string{"title": ""}).Error(422, "VALIDATION_FAILED")

	stop()
	c.Get("/summary").Error(503, service.CodeUnavailable)
	c.Get("/ready").Status(200) // the breaker is not open yet: one failed call
}

func mustReq(t *testing.T, method, url, body string) *http.Request {
	r, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	return r
}

// TestFacadeCheckedAgainstTheDocument: a facade whose types do not fit
// the todo API's document stops the start and says what to change.
func TestFacadeCheckedAgainstTheDocument(t *testing.T) {
	base, _ := startTodo(t)
	type wrongTodo struct {
		ID    string `json:"id"`
		Title int    `json:"title"`
	}
	type wrong struct {
		FindTodos   service.Op[struct{ Where string }, []wrongTodo]
		CreateTodo  service.Op[struct{}, wrongTodo]
		DeleteTodos service.Op[struct{}, struct{}]
	}
	app := todoclient.New(service.Provide(kernel.NewKey[*wrong]("services.Wrong"), "todos", service.Facade[wrong]))
	kernel.Bind(app.Context(), bindings.ConfigOverrides, kernel.Value([]string{"services.todos.baseURL=" + base, "rest.port=0", "log.level=error"}))
	err := app.Start(context.Background())
	defer app.Stop(context.Background())
	if err == nil {
		t.Fatal("started")
	}
	for _, want := range []string{
		`has a field "Where" that is no parameter of findTodos`,
		`does not fit the result of findTodos`,
		`no field for the required body parameter "body" of createTodo`,
		`no operation "deleteTodos"; did you mean "deleteTodo"?`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q:\n%v", want, err)
		}
	}
}
