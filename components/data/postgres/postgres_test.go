package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/postgres"
)

func testURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set and BACKPLANE_TEST_REQUIRE_SERVICES=1")
		}
		t.Skip("BACKPLANE_TEST_POSTGRES_URL is not set")
	}
	return url
}

type Note struct {
	ID   int64  `json:"id" data:"id,generated"`
	Text string `json:"text"`
}

func TestErrorMapping(t *testing.T) {
	d := postgres.Dialect{}
	for name, err := range map[string]error{
		"admin shutdown":   &pgconn.PgError{Code: "57P01"},
		"connection":       &pgconn.PgError{Code: "08006"},
		"too many clients": &pgconn.PgError{Code: "53300"},
		"eof":              fmt.Errorf("read: %w", io.ErrUnexpectedEOF),
		"closed":           errors.New("conn closed"),
	} {
		got := d.MapError(nil, err)
		var u *data.UnavailableError
		if !errors.As(got, &u) || u.StatusCode() != 503 || u.ErrorCode() != "SERVICE_UNAVAILABLE" {
			t.Errorf("%s: %v (%T), want 503", name, got, got)
		}
	}
	if got := d.MapError(nil, &pgconn.PgError{Code: "42P01"}); errors.Is(got, data.ErrUnavailable) {
		t.Errorf("an undefined table is not unavailability: %v", got)
	}
	m, _ := data.ModelOf[Note]()
	got := d.MapError(m, &pgconn.PgError{Code: "23505", ConstraintName: "note_pkey"})
	var dup *data.DuplicateError
	if !errors.As(got, &dup) || dup.Property != "id" || dup.StatusCode() != 409 {
		t.Errorf("unique violation: %v", got)
	}
}

func TestUnreachableServerIs503(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := data.Open(ctx, "db", data.Config{Connector: "postgres", Options: postgres.Options{URL: "postgres://x:y@127.0.0.1:1/db?sslmode=disable&connect_timeout=2"}})
	if !errors.Is(err, data.ErrUnavailable) {
		t.Fatalf("Open on a closed port: %v, want unavailable", err)
	}
	if strings.Contains(err.Error(), "x:y") {
		t.Errorf("the password leaked: %v", err)
	}
}

// TestLostConnections kills the datasource's server connections (as a
// restart would) and checks that calls fail with 503 or succeed, never
// anything else, and that the pool recovers.
func TestLostConnections(t *testing.T) {
	base := testURL(t)
	ctx := context.Background()
	app := fmt.Sprintf("bp_lost_%d_%d", os.Getpid(), time.Now().UnixNano())
	schema := app
	ds, err := data.Open(ctx, "db", data.Config{Connector: "postgres", Options: postgres.Options{URL: base + "&application_name=" + app, Schema: schema}})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Stop(ctx)
	admin, err := data.Open(ctx, "admin", data.Config{Connector: "postgres", Options: postgres.Options{URL: base}})
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Stop(ctx)
	defer admin.Execute(ctx, `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`)
	notes, err := data.NewRepository[Note, int64](ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Migrate(ctx, data.MigrateCreate); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if _, err := notes.Create(ctx, Note{Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := admin.Execute(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app)
	if err != nil || len(res.Rows) == 0 {
		t.Fatalf("terminate: %v, %v", res, err)
	}
	ok := 0
	for i := 0; i < 20; i++ {
		_, err := notes.Find(ctx, nil)
		switch {
		case err == nil:
			ok++
		case errors.Is(err, data.ErrUnavailable):
		default:
			t.Fatalf("after the connections were lost: %v (%T), want success or 503", err, err)
		}
	}
	if ok == 0 {
		t.Fatal("the pool never recovered")
	}
	if err := ds.CheckHealth(ctx); err != nil {
		t.Fatalf("health after recovery: %v", err)
	}
}
