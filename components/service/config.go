package service

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/backplane-dev/backplane/settings"
)

// Config is a service's configuration: the section services.<name>, or
// the options of [Declare]. Its own keys are the ones every service has
// (the connector, where the service is, and the resilience policy); the
// connector's settings are its Options, read from the same section:
//
//	services:
//	  geocoder:
//	    connector: rest                  # Config
//	    baseURL: https://geocoding.geo.census.gov/geocoder
//	    timeout: 5s
//	    retry: {max: 2, initialBackoff: 100ms}
//	    breaker: {failures: 5, openFor: 30s}
//	    operations: [...]                # restconn.Options
type Config struct {
	// Connector names the connector: rest, openapi or soap (its package
	// must be imported).
	Connector string `json:"connector"`
	// BaseURL is where the service is: REST templates' relative URLs
	// start from it; it replaces an OpenAPI document's servers and a
	// WSDL's address.
	BaseURL string `json:"baseURL"`
	// Headers are sent with every request.
	Headers map[string]string `json:"headers"`
	// Timeout bounds a whole call, its retries included.
	Timeout time.Duration `json:"timeout"`
	// AttemptTimeout bounds one attempt, from sending the request to
	// reading the last byte of the answer (0: the call's timeout).
	AttemptTimeout time.Duration `json:"attemptTimeout"`
	// Retry says how failed attempts are retried.
	Retry Retry `json:"retry"`
	// Breaker configures the circuit breaker.
	Breaker Breaker `json:"breaker"`
	// MaxConcurrent is the bulkhead: how many calls may be in flight at
	// once (0: no limit). A call beyond it waits up to MaxWait, then fails
	// with [KindBusy].
	MaxConcurrent int `json:"maxConcurrent"`
	// MaxWait is how long a call waits for a place in the bulkhead.
	MaxWait time.Duration `json:"maxWait"`
	// MaxResponseBytes bounds an answer's body; a larger one is a
	// [KindBadResponse] and is read no further than the limit.
	MaxResponseBytes int64 `json:"maxResponseBytes"`
	// MaxRedirects is how many redirects a request follows.
	MaxRedirects int `json:"maxRedirects"`
	// MaxIdleConns is how many idle connections to the service are kept
	// for reuse.
	MaxIdleConns int `json:"maxIdleConns"`
	// HealthPath, when set, is a path (relative to BaseURL) the health
	// check GETs; otherwise the check fails only while the breaker is
	// open.
	HealthPath string `json:"healthPath"`
	// Options are the connector's own settings (restconn.Options,
	// openapiconn.Options, soap.Options), decoded from the keys of the
	// section that are not the service's; nil means the connector's
	// defaults.
	Options any `config:",inline"`
}

// Retry is the retry policy. Only idempotent operations (GET, HEAD,
// OPTIONS, PUT, DELETE), or ones marked safe to retry, are retried, after
// a timeout, a failure to connect, a connection cut short, or an answer
// of 429, 502, 503 or 504. The wait before retry n is a random duration
// up to InitialBackoff×2ⁿ⁻¹ (full jitter), capped by MaxBackoff, or what
// the service's Retry-After says; a retry that could not finish within
// the call's timeout is not made.
type Retry struct {
	// Max is how many times a failed attempt is retried (0: never).
	Max int `json:"max"`
	// InitialBackoff is the ceiling of the first wait.
	InitialBackoff time.Duration `json:"initialBackoff"`
	// MaxBackoff caps every wait, Retry-After included.
	MaxBackoff time.Duration `json:"maxBackoff"`
}

// Breaker configures the circuit breaker. After Failures attempts fail
// in a row (timeouts, failures to connect, 5xx and 429 answers — not the
// caller's cancellations nor 4xx answers), the breaker opens: calls fail
// at once with [KindOpen] for OpenFor; then HalfOpenCalls trial calls
// are let through, and their success closes it again.
type Breaker struct {
	// Failures opens the breaker (0: no breaker).
	Failures uint32 `json:"failures"`
	// OpenFor is how long it stays open.
	OpenFor time.Duration `json:"openFor"`
	// HalfOpenCalls is how many trial calls it lets through.
	HalfOpenCalls uint32 `json:"halfOpenCalls"`
}

// DefaultConfig is the policy a service starts from: 10 s per call, 5 s
// per attempt, two retries from 100 ms backing off to 2 s, a breaker
// opening after 5 failures in a row for 30 s, 100 calls in flight,
// 10 MiB answers, 5 redirects, 32 idle connections.
func DefaultConfig() Config {
	return Config{
		Timeout:          10 * time.Second,
		AttemptTimeout:   5 * time.Second,
		Retry:            Retry{Max: 2, InitialBackoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second},
		Breaker:          Breaker{Failures: 5, OpenFor: 30 * time.Second, HalfOpenCalls: 1},
		MaxConcurrent:    100,
		MaxResponseBytes: 10 << 20,
		MaxRedirects:     5,
		MaxIdleConns:     32,
	}
}

// check reports every invalid key at once.
func (c Config) check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("baseURL %q: want an absolute http or https URL", c.BaseURL)
		}
	}
	if c.Timeout <= 0 {
		bad("timeout %s: must be positive", c.Timeout)
	}
	if c.AttemptTimeout < 0 {
		bad("attemptTimeout %s: is negative", c.AttemptTimeout)
	}
	if c.Retry.Max < 0 {
		bad("retry.max %d: is negative", c.Retry.Max)
	}
	if c.Retry.Max > 0 && (c.Retry.InitialBackoff <= 0 || c.Retry.MaxBackoff < c.Retry.InitialBackoff) {
		bad("retry: initialBackoff %s and maxBackoff %s: want 0 < initialBackoff <= maxBackoff", c.Retry.InitialBackoff, c.Retry.MaxBackoff)
	}
	if c.Breaker.Failures > 0 && c.Breaker.OpenFor <= 0 {
		bad("breaker.openFor %s: must be positive", c.Breaker.OpenFor)
	}
	if c.MaxConcurrent < 0 || c.MaxWait < 0 || c.MaxResponseBytes <= 0 || c.MaxRedirects < 0 || c.MaxIdleConns < 0 {
		bad("maxConcurrent %d, maxWait %s, maxResponseBytes %d, maxRedirects %d, maxIdleConns %d: none may be negative, and maxResponseBytes must be positive",
			c.MaxConcurrent, c.MaxWait, c.MaxResponseBytes, c.MaxRedirects, c.MaxIdleConns)
	}
	if c.HealthPath != "" && !strings.HasPrefix(c.HealthPath, "/") {
		bad("healthPath %q: must start with /", c.HealthPath)
	}
	return errors.Join(errs...)
}

// OptionsOf returns the connector options of cfg as an O: the zero O
// when there are none, an O or the value of an *O as they are. Other
// types are an error naming both.
func OptionsOf[O any](cfg Config) (O, error) {
	var zero O
	switch o := cfg.Options.(type) {
	case nil:
		return zero, nil
	case O:
		return o, nil
	case *O:
		if o != nil {
			return *o, nil
		}
		return zero, nil
	}
	return zero, fmt.Errorf("service: connector %q: options are a %T, want a %T", cfg.Connector, cfg.Options, zero)
}

var _ settings.Unmarshaler = (*Config)(nil)

// keysType is Config without Options: the keys every service's section
// has, decoded beside the connector's.
var keysType = func() reflect.Type {
	t := reflect.TypeFor[Config]()
	var fields []reflect.StructField
	for i := range t.NumField() {
		if f := t.Field(i); f.Name != "Options" {
			fields = append(fields, f)
		}
	}
	return reflect.StructOf(fields)
}()

// UnmarshalSettings decodes a service's section: it reads the name of
// the connector, then decodes the section strictly into the service's
// keys and the connector's options ([Configurable]) together, so that a
// key neither knows is an unknown key with a "did you mean" among both.
func (c *Config) UnmarshalSettings(decode func(target any) error) error {
	var raw map[string]any
	if err := decode(&raw); err != nil {
		return err
	}
	name := c.Connector
	for k, v := range raw {
		if s, ok := v.(string); ok && strings.EqualFold(strings.NewReplacer("-", "", "_", "").Replace(k), "connector") {
			name = s
		}
	}
	if name == "" {
		return errors.New("service: no connector: set connector (rest, openapi, soap)")
	}
	conn, err := LookupConnector(name)
	if err != nil {
		return err
	}
	opts := c.Options
	if rv := reflect.ValueOf(opts); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		opts = rv.Elem().Interface()
	}
	if cf, ok := conn.(Configurable); ok {
		if def := cf.Options(); opts == nil || reflect.TypeOf(opts) != reflect.TypeOf(def) {
			opts = def
		}
	}
	fields := []reflect.StructField{{Name: "Keys", Type: keysType, Tag: `config:",inline"`}}
	if opts != nil && reflect.TypeOf(opts).Kind() == reflect.Struct {
		fields = append(fields, reflect.StructField{Name: "Options", Type: reflect.TypeOf(opts), Tag: `config:",inline"`})
	}
	v := reflect.New(reflect.StructOf(fields)).Elem()
	cv := reflect.ValueOf(c).Elem()
	keys := v.Field(0)
	for i := range keysType.NumField() {
		keys.Field(i).Set(cv.FieldByName(keysType.Field(i).Name))
	}
	if len(fields) > 1 {
		v.Field(1).Set(reflect.ValueOf(opts))
	}
	err = decode(v.Addr().Interface())
	for i := range keysType.NumField() {
		cv.FieldByName(keysType.Field(i).Name).Set(keys.Field(i))
	}
	if len(fields) > 1 {
		c.Options = v.Field(1).Interface()
	}
	return err
}
