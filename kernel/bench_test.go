package kernel_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/backplane-dev/backplane/kernel"
)

type benchDB struct{ dsn string }
type benchLog struct{ _ int }
type benchClock struct{}
type benchService struct {
	db  *benchDB
	log *benchLog
	clk *benchClock
}

var (
	benchDBKey    = kernel.NewKey[*benchDB]("datasources.db")
	benchLogKey   = kernel.NewKey[*benchLog]("logger")
	benchClockKey = kernel.NewKey[*benchClock]("services.clock")
	benchSvcKey   = kernel.NewKey[*benchService]("services.todo")
	benchReqKey   = kernel.NewKey[*benchLog]("request.log")
	benchReqKey2  = kernel.NewKey[*benchClock]("request.clock")
)

func newBenchApp() *kernel.Context {
	app := kernel.New("app", kernel.Application)
	kernel.Bind(app, benchDBKey, kernel.Value(&benchDB{dsn: "x"}))
	kernel.Bind(app, benchLogKey, kernel.Value(&benchLog{}))
	kernel.Bind(app, benchClockKey, kernel.Value(&benchClock{}))
	for i := range 20 {
		kernel.Bind(app, kernel.NewKey[int]("filler."+strconv.Itoa(i)), kernel.Value(i))
	}
	return app
}

func BenchmarkResolveSingleton(b *testing.B) {
	app := newBenchApp()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kernel.Resolve(context.Background(), app, benchDBKey); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveTransientThreeDeps(b *testing.B) {
	app := newBenchApp()
	kernel.Bind(app, benchSvcKey, kernel.Ctor3(func(d *benchDB, l *benchLog, c *benchClock) (*benchService, error) {
		return &benchService{d, l, c}, nil
	}, benchDBKey, benchLogKey, benchClockKey))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kernel.Resolve(context.Background(), app, benchSvcKey); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRequestContext(b *testing.B) {
	app := newBenchApp()
	l, c := &benchLog{}, &benchClock{}
	b.ReportAllocs()
	for b.Loop() {
		req := app.NewChild("request", kernel.Request)
		kernel.Bind(req, benchReqKey, kernel.Value(l))
		kernel.Bind(req, benchReqKey2, kernel.Value(c))
		if _, err := kernel.Resolve(context.Background(), req, benchDBKey); err != nil {
			b.Fatal(err)
		}
		req.Close()
	}
}

type greeter interface{ Greet() string }
type g struct{}

func (g) Greet() string { return "hi" }

func BenchmarkViewValues(b *testing.B) {
	app := newBenchApp()
	for i := range 10 {
		kernel.Bind(app, kernel.NewKey[greeter]("greeters."+strconv.Itoa(i)), kernel.Value[greeter](g{}), kernel.Tags("greeter"))
	}
	v := kernel.NewViewOf[greeter](app, kernel.ByTag("greeter"))
	if vs, _ := v.Values(context.Background()); len(vs) != 10 {
		b.Fatal(len(vs))
	}
	b.ReportAllocs()
	for b.Loop() {
		vs, err := v.Values(context.Background())
		if err != nil || len(vs) != 10 {
			b.Fatal(err)
		}
	}
}
