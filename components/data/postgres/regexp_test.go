package postgres

import (
	"context"
	"database/sql"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/backplane-dev/backplane/components/data"
)

func testDB(t *testing.T) *sql.DB {
	t.Helper()
	url := os.Getenv("BACKPLANE_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("BACKPLANE_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("BACKPLANE_TEST_POSTGRES_URL is not set and BACKPLANE_TEST_REQUIRE_SERVICES=1")
		}
		t.Skip("BACKPLANE_TEST_POSTGRES_URL is not set")
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var _ = stdlib.GetDefaultDriver // registers "pgx"

// Every pattern matches the same texts in PostgreSQL, translated, as in
// Go: the filter language has one meaning on every connector.
func TestRegexpMeansWhatGoMeans(t *testing.T) {
	db := testDB(t)
	texts := []string{"", "a", "abc", "ABC", "aBc\ndef", "x\ny", "foo bar", "foo_bar", "héllo", "HÉLLO", "日本語", "a.b", "a+b", "tab\there", "back\\slash", "[x]", "$10", "^caret", "1234", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaac", "K", "\u212a", "ſ", "S"}
	patterns := []struct {
		pat  string
		fold bool
	}{
		{"a", false}, {"^a", false}, {"c$", false}, {"^$", false}, {"a.c", false}, {"a.*c", false},
		{"(?s)a.*f", false}, {"a.*f", false}, {`\bbar`, false}, {`\Bbar`, false}, {`o\b`, false},
		{`(?m)^def$`, false}, {`(?m)^y`, false}, {`^y`, false}, {`\d+`, false}, {`\D`, false}, {`\w+`, false}, {`\s`, false},
		{`[a-c]+`, false}, {`[^a-z]`, false}, {`\pL+`, false}, {`\p{Han}`, false}, {`\PL`, false}, {`[[:upper:]]`, false},
		{`\.`, false}, {`\+`, false}, {`\\`, false}, {`\[x\]`, false}, {`\$1`, false}, {`\^`, false}, {`\t`, false},
		{`a{2,}`, false}, {`a{3}c?`, false}, {`(?:a|b)+c`, false}, {`(a|a?)+c`, false}, {`(?:(?:a|a?){1,10}){1,3}c`, false},
		{`abc`, true}, {`ÉLL`, true}, {`k`, true}, {`s`, true}, {`[a-c]+`, true}, {`(?i)abc`, false}, {`a(?i)bc`, false},
		{`\z`, false}, {`a\z`, false}, {`\A`, false}, {`x*?y`, false}, {`a??b`, false}, {`[^\n]+$`, false},
		{`.`, false}, {`^.$`, false}, {`[\x{10000}-\x{10FFFF}]`, false}, {`\Qa.b\E`, false}, {`a|`, false}, {`()`, false},
		{`[\d\s]`, false}, {`\x00`, false}, {`[\x00-\x20]`, false},
	}
	for _, p := range patterns {
		goPat := p.pat
		if p.fold {
			goPat = "(?i)" + goPat
		}
		re := regexp.MustCompile(goPat)
		are, err := translateRegexp(p.pat, p.fold)
		if err != nil {
			t.Errorf("%q: %v", p.pat, err)
			continue
		}
		for _, text := range texts {
			var got bool
			if err := db.QueryRow(`SELECT $1::text ~ $2`, text, are).Scan(&got); err != nil {
				t.Errorf("%q (as %q): PostgreSQL refuses it: %v", p.pat, are, err)
				break
			}
			if want := re.MatchString(text); got != want {
				t.Errorf("%q (fold %v, as %q) on %q: PostgreSQL %v, Go %v", p.pat, p.fold, are, text, got, want)
			}
		}
	}
}

// The patterns that took PostgreSQL seconds to compile are refused by
// maxPatternSize; those inside the limit compile and run in
// milliseconds, however they are nested.
func TestRegexpInsideTheLimitIsFast(t *testing.T) {
	db := testDB(t)
	lim := data.DefaultLimits().MaxPatternSize
	if n, _ := data.PatternSize(`(?:(?:a|a?){1,150}){1,5}c`); n <= lim {
		t.Fatalf("the pattern that took 19 s is %d instructions, inside the limit %d", n, lim)
	}
	text := strings.Repeat("a", 100_000)
	for _, pat := range []string{
		`(?:(?:a|a?){1,12}){1,6}c`, `(?:(?:(?:a|a?){1,4}){1,4}){1,4}c`, `(?:a?){1,120}c`, `(a|a?)+(a|a?)+c`, `((a|a?)+)+c`,
		`(?:a|b|c|d|e|f|g|h)(?:a|b|c|d|e|f|g|h)(?:a|b|c|d|e|f|g|h)x`, `(?:\w+\s*){1,20}x`, `(?:(?:a*)*)*c`,
		`(?:a?){1,80}c`, `(?:(?:a|a?){1,8}){1,4}c`, `(?:(?:(?:a|a?){1,3}){1,3}){1,3}c`, `(?:(?:a|a?){1,60}){1,2}c`, `(?:a|a?){1,120}c`,
	} {
		n, err := data.PatternSize(pat)
		if err != nil || n > lim {
			t.Logf("%-45s %3d instructions: refused (maxPatternSize)", pat, n)
			continue
		}
		are, err := translateRegexp(pat, false)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		t0 := time.Now()
		var got bool
		err = db.QueryRowContext(ctx, `SELECT $1::text ~ $2`, text, are).Scan(&got)
		cancel()
		d := time.Since(t0)
		if err != nil {
			t.Errorf("%q: %v", pat, err)
			continue
		}
		t.Logf("%-45s %3d instructions: %s", pat, n, d)
		if d > time.Second {
			t.Errorf("%q (%d instructions) took %s on 100 KB", pat, n, d)
		}
	}
}
