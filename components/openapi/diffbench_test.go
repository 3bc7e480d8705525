package openapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/openapi"
)

// bigDocument writes a JSON document of about size bytes: n resources,
// each with CRUD operations, parameters and a schema of 12 properties.
// variant changes every tenth resource (a property type, a required
// parameter) so that the diff has work to report.
func bigDocument(size int, variant bool) []byte {
	var b strings.Builder
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"big","version":"1"},"paths":{`)
	var schemas strings.Builder
	for i := 0; b.Len()+schemas.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",")
			schemas.WriteString(",")
		}
		req := "false"
		typ := "string"
		if variant && i%10 == 0 {
			req, typ = "true", "integer"
		}
		fmt.Fprintf(&b, `"/r%[1]d":{"get":{"operationId":"list%[1]d","parameters":[{"name":"limit","in":"query","required":%[2]s,"schema":{"type":"integer","maximum":100}},{"name":"q","in":"query","schema":{"type":"string"}}],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/R%[1]d"}}}}}}},"post":{"operationId":"create%[1]d","requestBody":{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/R%[1]d"}}}},"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/R%[1]d"}}}},"422":{"description":"invalid"}}}},"/r%[1]d/{id}":{"get":{"operationId":"get%[1]d","parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"integer"}}],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/R%[1]d"}}}},"404":{"description":"none"}}}}`, i, req)
		fmt.Fprintf(&schemas, `"R%d":{"type":"object","required":["id","name"],"properties":{`, i)
		for p := 0; p < 12; p++ {
			if p > 0 {
				schemas.WriteString(",")
			}
			t := "string"
			if p == 3 {
				t = typ
			}
			fmt.Fprintf(&schemas, `"p%d":{"type":"%s","maxLength":50,"description":"property %d of resource %d"}`, p, t, p, i)
		}
		schemas.WriteString(`,"id":{"type":"integer"},"name":{"type":"string","enum":["a","b","c"]}}}`)
	}
	b.WriteString(`},"components":{"schemas":{`)
	b.WriteString(schemas.String())
	b.WriteString(`}}}`)
	return []byte(b.String())
}

// TestDiffOfOneMegabyteDocuments: reading and comparing two 1 MB
// documents. The budget is 1 s (about 0.5 s on an idle machine, see
// BENCHMARKS.md); the test, which runs beside others on a shared
// machine, fails only past 5 s, an order-of-magnitude regression.
func TestDiffOfOneMegabyteDocuments(t *testing.T) {
	a, b := bigDocument(1<<20, false), bigDocument(1<<20, true)
	best := time.Hour
	var changes []openapi.Change
	for range 3 {
		start := time.Now()
		old, err := openapi.Parse("old.json", a)
		if err != nil {
			t.Fatal(err)
		}
		cur, err := openapi.Parse("new.json", b)
		if err != nil {
			t.Fatal(err)
		}
		changes = openapi.Diff(old.Document, cur.Document)
		best = min(best, time.Since(start))
	}
	breaking, _, _ := openapi.CountChanges(changes)
	t.Logf("%d and %d bytes: parsed and compared in %v; %d changes, %d breaking", len(a), len(b), best, len(changes), breaking)
	if breaking == 0 {
		t.Error("no breaking change found")
	}
	if best > 5*time.Second {
		t.Errorf("took %v, want about 0.5s (budget 1s)", best)
	}
}

func BenchmarkDiffOneMegabyte(b *testing.B) {
	x, y := bigDocument(1<<20, false), bigDocument(1<<20, true)
	b.SetBytes(int64(len(x) + len(y)))
	for b.Loop() {
		old, _ := openapi.Parse("old.json", x)
		cur, _ := openapi.Parse("new.json", y)
		_ = openapi.Diff(old.Document, cur.Document)
	}
}
