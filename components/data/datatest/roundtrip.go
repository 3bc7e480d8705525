package datatest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
)

// Every has a property of every kind a model can hold, nullable and not.
type Every struct {
	ID     int64             `json:"id" data:"id,generated"`
	S      string            `json:"s"`
	SP     *string           `json:"sp,omitempty"`
	I      int64             `json:"i"`
	I32    int32             `json:"i32"`
	U64    uint64            `json:"u64"`
	IP     *int64            `json:"ip,omitempty"`
	F      float64           `json:"f"`
	FP     *float64          `json:"fp,omitempty"`
	B      bool              `json:"b"`
	T      time.Time         `json:"t"`
	TP     *time.Time        `json:"tp,omitempty"`
	Bytes  []byte            `json:"bytes,omitempty"`
	Tags   []string          `json:"tags,omitempty"`
	Attrs  map[string]any    `json:"attrs,omitempty"`
	Any    any               `json:"any,omitempty"`
	Raw    json.RawMessage   `json:"raw,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
}

// testRoundTrip pushes generated values of every kind through create,
// find by id and find: a create either stores a value that reads back
// equal, as JSON too, or refuses it with a 4xx naming the property —
// never stores what it cannot give back, and never fails with a 5xx.
func testRoundTrip(t *testing.T, e *env) {
	every, err := data.NewRepository[Every, int64](e.ds)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.ds.Migrate(e.ctx, data.MigrateRebuild); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(17, 3))
	var stored []Every
	refused := 0
	for i := range 150 {
		in := genEvery(rng, i)
		got, err := every.Create(e.ctx, in)
		if err != nil {
			if !clientError(err) {
				t.Fatalf("create #%d %s: %v (a %T, not a 4xx)", i, describe(in), err, err)
			}
			refused++
			continue
		}
		in.ID = got.ID
		back, err := every.FindByID(e.ctx, got.ID, nil)
		if err != nil {
			t.Fatalf("find #%d after create %s: %v", i, describe(in), err)
		}
		if diff := sameEvery(in, *back); diff != "" {
			t.Fatalf("#%d read back differs: %s\n in: %s\nout: %s", i, diff, describe(in), describe(*back))
		}
		if _, err := json.Marshal(back); err != nil {
			t.Fatalf("#%d read back cannot be written as JSON: %v: %s", i, err, describe(*back))
		}
		stored = append(stored, in)
	}
	all, err := every.Find(e.ctx, &data.Filter{Order: []string{"id"}})
	if err != nil {
		t.Fatalf("find all: %v", err)
	}
	if len(all) != len(stored) {
		t.Fatalf("find all: %d entities, %d stored (%d refused)", len(all), len(stored), refused)
	}
	for i := range all {
		if diff := sameEvery(stored[i], all[i]); diff != "" {
			t.Fatalf("find all: #%d differs: %s", i, diff)
		}
	}
	if len(stored) < 50 {
		t.Errorf("only %d of 150 generated entities were stored: the generator makes too many bad values", len(stored))
	}
	// The edges: the last instants that fit, and the first that do not.
	for _, c := range []struct {
		t  string
		ok bool
	}{
		{"9999-12-31T23:59:59.999999Z", true},
		{"0000-01-01T00:00:00Z", true},
		{"9999-12-31T23:59:59-14:00", false},
		{"0000-01-01T00:00:00+01:00", false},
	} {
		tm, err := time.Parse(time.RFC3339Nano, c.t)
		if err != nil {
			t.Fatal(err)
		}
		got, err := every.Create(e.ctx, Every{S: "edge", T: tm})
		switch {
		case c.ok && err != nil:
			t.Errorf("create with t=%s: %v", c.t, err)
		case !c.ok && err == nil:
			t.Errorf("create with t=%s (year %d in UTC) was accepted", c.t, tm.UTC().Year())
			every.DeleteByID(e.ctx, got.ID)
		case !c.ok:
			wantStatus(t, err, 422, data.CodeInvalidData)
			if !strings.Contains(err.Error(), "t must be a date-time") {
				t.Errorf("create with t=%s: %v does not name the property", c.t, err)
			}
		}
		// The same through a patch and a record.
		if !c.ok {
			if _, err := every.UpdateAll(e.ctx, map[string]any{"t": c.t}, nil); err == nil {
				t.Errorf("patch with t=%s was accepted", c.t)
			}
		}
	}
	if _, err := every.Find(e.ctx, nil); err != nil {
		t.Fatalf("find after the edges: %v", err)
	}
	// A client-chosen id that is missing is refused, never invented.
	for _, k := range []Keyed{{N: 1}, {Key: "", N: 2}} {
		_, err := e.keyed.Create(e.ctx, k)
		if err == nil {
			t.Fatalf("a Keyed without its key was stored: %+v", k)
		}
		wantStatus(t, err, 422, data.CodeInvalidData)
	}
	if n, _ := e.keyed.Count(e.ctx, nil); n != 0 {
		t.Fatalf("%d Keyed stored without a key", n)
	}
}

// clientError reports whether err is answered with a 4xx.
func clientError(err error) bool {
	var sc interface{ StatusCode() int }
	return errors.As(err, &sc) && sc.StatusCode() >= 400 && sc.StatusCode() < 500
}

func describe(v Every) string {
	return fmt.Sprintf("%+v", v)
}

// genEvery makes an entity of random values, edge values often.
func genEvery(r *rand.Rand, i int) Every {
	e := Every{
		S:     genString(r),
		I:     pick(r, r.Int64(), 0, math.MaxInt64, math.MinInt64, -1),
		I32:   pick(r, r.Int32(), math.MaxInt32, math.MinInt32),
		U64:   pick(r, r.Uint64()>>1, 0, math.MaxInt64),
		F:     genFloat(r),
		B:     r.IntN(2) == 0,
		T:     genTime(r),
		Bytes: genBytes(r),
	}
	if r.IntN(2) == 0 {
		s := genString(r)
		e.SP = &s
	}
	if r.IntN(2) == 0 {
		n := r.Int64() - math.MaxInt64/2
		e.IP = &n
	}
	if r.IntN(2) == 0 {
		f := genFloat(r)
		e.FP = &f
	}
	if r.IntN(2) == 0 {
		tm := genTime(r)
		e.TP = &tm
	}
	if r.IntN(2) == 0 {
		e.Tags = []string{genString(r), genString(r)}
	}
	if r.IntN(2) == 0 {
		e.Attrs = map[string]any{"s": genString(r), "n": float64(r.IntN(1 << 20)), "f": 0.5, "b": true, "nil": nil, "list": []any{"x", 1.0}, "obj": map[string]any{"k": genString(r)}}
	}
	switch r.IntN(4) {
	case 0:
		e.Any = genString(r)
	case 1:
		e.Any = float64(r.IntN(1000))
	case 2:
		e.Any = []any{true, "x"}
	}
	if r.IntN(2) == 0 {
		b, _ := json.Marshal(map[string]any{"s": genString(r)})
		e.Raw = b
	}
	if r.IntN(2) == 0 {
		e.Labels = map[string]string{genString(r): genString(r)}
	}
	return e
}

func pick[T any](r *rand.Rand, random T, edges ...T) T {
	if r.IntN(3) == 0 {
		return edges[r.IntN(len(edges))]
	}
	return random
}

var stringEdges = []string{"", " ", "'", `"`, `\`, "%", "_", "a\x00b", "\x00", "é", "日本語", "🙂", "\u2028", "line\nbreak", "tab\t", "\ufeff", "NULL", "null", "--", "a\u0000", strings.Repeat("x", 4000), "\\u0000", "\x7f"}

func genString(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return stringEdges[r.IntN(len(stringEdges))]
	}
	const alphabet = "abcXYZ 019-_%'\"\\éß日🙂"
	rs := []rune(alphabet)
	n := r.IntN(20)
	var b strings.Builder
	for range n {
		b.WriteRune(rs[r.IntN(len(rs))])
	}
	return b.String()
}

func genFloat(r *rand.Rand) float64 {
	if r.IntN(3) == 0 {
		edges := []float64{0, math.Copysign(0, -1), 1, -1, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 1e-300, 1e300, 0.1, 1.0 / 3, math.Pi, 1 << 53, 1<<53 + 2, math.Inf(1), math.NaN()}
		return edges[r.IntN(len(edges))]
	}
	return r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
}

func genTime(r *rand.Rand) time.Time {
	if r.IntN(3) == 0 {
		edges := []string{"0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2000-02-29T12:00:00.123456Z", "9999-12-31T23:59:59.999999Z", "0000-01-01T00:00:00Z",
			"9999-12-31T23:59:59-14:00", "0000-01-01T00:00:00+01:00", "2024-03-10T02:30:00-08:00", "1900-01-01T00:00:00+14:00"}
		tm, _ := time.Parse(time.RFC3339Nano, edges[r.IntN(len(edges))])
		return tm
	}
	// Microseconds: the finest precision every connector keeps.
	sec := r.Int64N(253402300799+62167219200) - 62167219200 // years 0000 to 9999
	tm := time.Unix(sec, int64(r.IntN(1_000_000))*1000)
	return tm.In(time.FixedZone("", (r.IntN(29)-14)*3600))
}

func genBytes(r *rand.Rand) []byte {
	if r.IntN(3) == 0 {
		return nil
	}
	b := make([]byte, r.IntN(64))
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return b
}

// sameEvery compares what was written with what was read, as a client
// would: times as instants, JSON values by meaning, NaN never (it is
// refused), -0 as 0.
func sameEvery(a, b Every) string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if !sameValue(x, y) {
			return fmt.Sprintf("%s: wrote %#v, read %#v", name, x, y)
		}
	}
	return ""
}

func sameValue(x, y any) bool {
	switch a := x.(type) {
	case time.Time:
		return a.Equal(y.(time.Time))
	case *time.Time:
		b := y.(*time.Time)
		return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
	case []byte:
		b := y.([]byte)
		return len(a) == 0 && len(b) == 0 || string(a) == string(b)
	case json.RawMessage:
		return sameJSON(a, y.(json.RawMessage))
	case []string, map[string]any, map[string]string:
		if reflect.ValueOf(x).Len() == 0 && (y == nil || reflect.ValueOf(y).Len() == 0) {
			return true
		}
		return sameMarshalled(x, y)
	case nil:
		return y == nil
	}
	return reflect.DeepEqual(x, y) || sameMarshalled(x, y)
}

func sameMarshalled(x, y any) bool {
	a, err1 := json.Marshal(x)
	b, err2 := json.Marshal(y)
	return err1 == nil && err2 == nil && sameJSON(a, b)
}

func sameJSON(a, b []byte) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	return reflect.DeepEqual(x, y)
}
