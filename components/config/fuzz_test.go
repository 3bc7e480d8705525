package config_test

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/config"
)

// FuzzOverrides feeds arbitrary --set and environment text through loading
// and strict decoding: any input must give a value or an *Error, never a
// panic.
func FuzzOverrides(f *testing.F) {
	for _, s := range []string{"rest.port=80", "rest.port=abc", "a..b=1", "=x", "rest.origins=a,b", "rest.origins=[a, b]", "rest.timeout=5s",
		"rest.limits.body=99999999999999999999", "rest=1", "rest.limits=x", "rest.ratio=1e400", "rest.any={a: 1}", "rest.u8=-1"} {
		f.Add(s, "APP_REST__PORT=1")
	}
	f.Add("rest.port=1", "APP_REST____X=1")
	f.Add("rest.port=1", "APP_REST__LIMITS__BODY=-9223372036854775809")
	// camelCase segments keep their spelling; map keys, nested lists and
	// a recursive type are planned once per type.
	f.Add("rest.names.fooBar=3", "APP_REST__NAMES__fooBar=x")
	f.Add("rest.names.FOO=1", "APP_rest__Names__BAR_BAZ=2")
	f.Add("rest.next.next.port=7", "APP_REST__NEXT__NEXT__NEXT__PORT=8")
	f.Add("rest.matrix=1,2", "APP_REST__MATRIX=[[1]]")
	f.Fuzz(func(t *testing.T, set, env string) {
		cfg, err := config.Load(config.Options{Overrides: []string{set}, EnvPrefix: "APP", Environ: []string{env}})
		if err != nil {
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Kind != config.BadOverride {
				t.Fatalf("load error %v is not a bad-override *config.Error", err)
			}
			return
		}
		var sc struct {
			Port    int           `json:"port"`
			U8      uint8         `json:"u8"`
			Ratio   float32       `json:"ratio"`
			Origins []string      `json:"origins"`
			Timeout time.Duration `json:"timeout"`
			Addr    netip.Addr    `json:"addr"`
			Limits  struct {
				Body int32 `json:"body"`
			} `json:"limits"`
			Any    any              `json:"any"`
			Names  map[string]int   `json:"names"`
			Matrix [][]int          `json:"matrix"`
			Next   *recursiveConfig `json:"next"`
		}
		if err := cfg.Decode("rest", &sc); err != nil {
			for _, e := range unwrapAll(err) {
				var ce *config.Error
				if !errors.As(e, &ce) || ce.Path == "" {
					t.Fatalf("decode error %v is not a *config.Error with a path", e)
				}
			}
		}
	})
}

// recursiveConfig refers to itself: its decode plan finds its own plan
// through the cache.
type recursiveConfig struct {
	Port int              `json:"port"`
	Next *recursiveConfig `json:"next"`
}

// FuzzTextValue decodes arbitrary text typed on the command line into
// each scalar kind and checks the result against strconv.
func FuzzTextValue(f *testing.F) {
	for _, s := range []string{"0", "-1", "65535", "65536", "1_000", "0x10", " 42 ", "+7", "9223372036854775807", "9223372036854775808", "true", "T", "yes", "1.5", "NaN", "-Inf", "5s", "1h2m", "", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := config.Load(config.Options{Overrides: []string{"v.i=" + s, "v.u=" + s, "v.b=" + s, "v.f=" + s, "v.d=" + s}})
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			I int64         `json:"i"`
			U uint16        `json:"u"`
			B bool          `json:"b"`
			F float64       `json:"f"`
			D time.Duration `json:"d"`
		}
		err = cfg.Decode("v", &v)
		failed := map[string]bool{}
		for _, e := range unwrapAll(err) {
			var ce *config.Error
			if !errors.As(e, &ce) {
				t.Fatalf("%T %v", e, e)
			}
			failed[ce.Path] = true
		}
		trimmed := strings.TrimSpace(s)
		if want, err := strconv.ParseInt(trimmed, 10, 64); (err == nil) != !failed["v.i"] || (err == nil && v.I != want) {
			t.Errorf("int %q: got %d failed=%v, strconv %d %v", s, v.I, failed["v.i"], want, err)
		}
		if want, err := strconv.ParseUint(trimmed, 10, 16); (err == nil) != !failed["v.u"] || (err == nil && uint64(v.U) != want) {
			t.Errorf("uint16 %q: got %d failed=%v, strconv %d %v", s, v.U, failed["v.u"], want, err)
		}
		if want, err := strconv.ParseBool(trimmed); (err == nil) != !failed["v.b"] || (err == nil && v.B != want) {
			t.Errorf("bool %q: got %v failed=%v", s, v.B, failed["v.b"])
		}
		if want, err := time.ParseDuration(trimmed); (err == nil) != !failed["v.d"] || (err == nil && v.D != want) {
			t.Errorf("duration %q: got %v failed=%v", s, v.D, failed["v.d"])
		}
	})
}

// FuzzEnvPath maps arbitrary variable names: a path never has an empty
// segment, and an ASCII name maps back to the same variable (up to case).
func FuzzEnvPath(f *testing.F) {
	for _, s := range []string{"TODO_REST__PORT", "TODO_CONFIG", "TODO_A__B__C", "TODO___X", "TODO_A____B", "TODO_", "TODO__", "TODO_é__Ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		path, ok, err := config.EnvPath("TODO", name)
		if err != nil || !ok {
			return
		}
		for _, s := range path {
			if s == "" {
				t.Fatalf("%q: empty segment in %q", name, path)
			}
		}
		if strings.ContainsFunc(name, func(r rune) bool { return r >= 0x80 }) {
			return // Unicode case mapping does not round-trip (İ → i → I); variable names are ASCII in practice
		}
		if back := config.EnvName("TODO") + "_" + strings.ToUpper(strings.Join(path, "__")); !strings.EqualFold(back, name) {
			t.Fatalf("%q → %q → %q", name, path, back)
		}
	})
}

// FuzzFiles parses arbitrary bytes as each format: a malformed file is a
// *SyntaxError (never a panic), and errors about its keys find a line.
func FuzzFiles(f *testing.F) {
	f.Add("rest:\n  port: 80\n")
	f.Add("{\"rest\": {\"port\": 80}}")
	f.Add("[rest]\nport = 80\n[rest.tls]\ncert = 1\n")
	f.Add("a = { b = { c = 1 } }\n[[x.y]]\nz = 1\n")
	f.Add("{\"a\": [{\"b\": {\"c\": [1, {\"d\": 2}]}}]}")
	f.Add("a: &x {b: 1}\nc: *x\n<<: *x\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body string) {
		for _, ext := range []string{".yaml", ".json", ".toml"} {
			p := filepath.Join(dir, "f"+ext)
			writeFile(t, p, body)
			cfg, err := config.Load(config.Options{Files: []string{p}})
			if err != nil {
				var se *config.SyntaxError
				if !errors.As(err, &se) || se.File != p {
					t.Fatalf("%s: %v is not a *SyntaxError for the file", ext, err)
				}
				continue
			}
			// Every key error names the file.
			for _, s := range cfg.Sections() {
				var none struct{}
				for _, e := range unwrapAll(cfg.Decode(s, &none)) {
					var ce *config.Error
					if !errors.As(e, &ce) || !strings.HasPrefix(ce.Origin, p) {
						t.Fatalf("%s: %v does not name the file", ext, e)
					}
				}
			}
		}
	})
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func unwrapAll(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unwrapAll(e)...)
		}
		return out
	}
	return []error{err}
}
