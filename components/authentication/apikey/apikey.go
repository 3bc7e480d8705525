package apikey

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"sync"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/apidoc"
	"github.com/backplane-dev/backplane/components/authentication"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/settings"
)

// Name is the strategy's default name.
const Name = "apiKey"

// Section is the configuration section ([Config]).
const Section = "apiKey"

// Key is a key the configuration knows and whom it stands for.
type Key struct {
	// Name identifies the client: it is the principal's ID.
	Name   string   `json:"name"`
	Key    string   `json:"key"`
	Roles  []string `json:"roles"`
	Scopes []string `json:"scopes"`
}

// Config is the "apiKey" configuration section.
//
//	apiKey:
//	  header: X-API-Key   # where the key is sent; or
//	  query: ""           # a query parameter (header wins when both are set and sent)
//	  keys:
//	    - {name: ci, key: "${CI_API_KEY}", roles: [deployer]}
type Config struct {
	Header string `json:"header"`
	Query  string `json:"query"`
	Keys   []Key  `json:"keys"`
	// MaxKeyBytes refuses longer keys unread.
	MaxKeyBytes int `json:"maxKeyBytes"`
}

// DefaultConfig reads the X-API-Key header and knows no key.
func DefaultConfig() Config { return Config{Header: "X-API-Key", MaxKeyBytes: 1024} }

// Lookup finds whom a key stands for, in a store of keys: it returns the
// principal, or an error wrapping authentication.ErrInvalidCredentials
// for an unknown key. It should compare keys in constant time or look
// them up by a hash (as [Static] does).
type Lookup interface {
	LookupKey(ctx context.Context, key string) (*authentication.Principal, error)
}

// LookupFunc adapts a function to a [Lookup].
type LookupFunc func(ctx context.Context, key string) (*authentication.Principal, error)

// LookupKey calls f.
func (f LookupFunc) LookupKey(ctx context.Context, key string) (*authentication.Principal, error) {
	return f(ctx, key)
}

// LookupKey is where an application binds its [Lookup]; the
// configuration's keys are used when nothing is bound.
var LookupKey = kernel.NewKey[Lookup]("authentication.apiKey.lookup")

// Option configures the component.
type Option func(*options)

type options struct {
	name   string
	lookup Lookup
	cfg    *Config
}

// WithName registers the strategy under another name.
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithLookup finds keys in a store instead of the configuration.
func WithLookup(l Lookup) Option { return func(o *options) { o.lookup = l } }

// WithConfig replaces the configuration section with c.
func WithConfig(c Config) Option { return func(o *options) { o.cfg = &c } }

// Component adds the API key strategy to authentication.Strategies (as
// "apiKey"): the key is read from the configured header or query
// parameter and found among the configured keys, or by the [Lookup]
// bound at [LookupKey] or given with [WithLookup].
func Component(opts ...Option) backplane.Component {
	o := &options{name: Name}
	for _, opt := range opts {
		opt(o)
	}
	return backplane.NewComponent("authentication.apiKey."+o.name, func(app *backplane.App) error {
		section := settings.Declare(app.Context(), Section, DefaultConfig())
		var once sync.Once
		var st *Strategy
		var err error
		app.Mount(backplane.Extension(authentication.Strategies, o.name, kernel.Ctor0(func() (authentication.Strategy, error) {
			once.Do(func() {
				cfg := o.cfg
				if cfg == nil {
					c, gerr := section.Get()
					if gerr != nil {
						err = gerr
						return
					}
					cfg = &c
				}
				lookup := o.lookup
				if lookup == nil {
					l, ok, lerr := kernel.ResolveOptional(context.Background(), app.Context(), LookupKey)
					if lerr != nil {
						err = lerr
						return
					}
					if ok {
						lookup = l
					}
				}
				st, err = New(*cfg, lookup)
			})
			return st, err
		})))
		return nil
	})
}

// Strategy is the API key strategy. It is safe for concurrent use.
type Strategy struct {
	cfg    Config
	lookup Lookup
}

var (
	_ authentication.Strategy = (*Strategy)(nil)
	_ Lookup                  = (*Static)(nil)
)

// New returns the strategy for cfg; with lookup nil, the keys of cfg.
func New(cfg Config, lookup Lookup) (*Strategy, error) {
	if cfg.Header == "" && cfg.Query == "" {
		return nil, errors.New("apikey: set header or query: where clients send their key")
	}
	if cfg.MaxKeyBytes <= 0 {
		cfg.MaxKeyBytes = 1024
	}
	if lookup == nil {
		s, err := NewStatic(cfg.Keys)
		if err != nil {
			return nil, err
		}
		lookup = s
	}
	return &Strategy{cfg: cfg, lookup: lookup}, nil
}

// Scheme is apiKey in the header (or the query parameter).
func (s *Strategy) Scheme() apidoc.SecurityScheme {
	if s.cfg.Header != "" {
		return apidoc.SecurityScheme{Type: "apiKey", In: "header", Name: s.cfg.Header}
	}
	return apidoc.SecurityScheme{Type: "apiKey", In: "query", Name: s.cfg.Query}
}

// Authenticate reads the key and looks it up.
func (s *Strategy) Authenticate(ctx context.Context, r *http.Request) (*authentication.Principal, error) {
	var key string
	var sent bool
	if s.cfg.Header != "" {
		if vs := r.Header.Values(s.cfg.Header); len(vs) > 0 {
			key, sent = vs[0], true
		}
	}
	if !sent && s.cfg.Query != "" {
		if vs, ok := r.URL.Query()[s.cfg.Query]; ok && len(vs) > 0 {
			key, sent = vs[0], true
		}
	}
	if !sent {
		return nil, authentication.ErrNoCredentials
	}
	switch {
	case key == "":
		return nil, authentication.Invalid("The API key is empty.")
	case len(key) > s.cfg.MaxKeyBytes:
		return nil, authentication.Invalid("The API key is longer than %d bytes.", s.cfg.MaxKeyBytes)
	}
	p, err := s.lookup.LookupKey(ctx, key)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, authentication.Invalid("The API key is unknown.")
	}
	return p, nil
}

// Static finds keys among a fixed set, comparing SHA-256 digests in
// constant time against every key (no early exit), so the time taken
// says nothing of how much of a key was right, nor which key matched.
type Static struct {
	keys []staticKey
}

type staticKey struct {
	digest [sha256.Size]byte
	k      Key
}

// NewStatic returns a lookup over keys. A key without a name, an empty
// key, or two keys alike are errors.
func NewStatic(keys []Key) (*Static, error) {
	s := &Static{}
	var errs []error
	seen := map[[sha256.Size]byte]string{}
	for i, k := range keys {
		if k.Name == "" || k.Key == "" {
			errs = append(errs, fmt.Errorf("apikey: keys[%d]: want a name and a key", i))
			continue
		}
		d := sha256.Sum256([]byte(k.Key))
		if prev, dup := seen[d]; dup {
			errs = append(errs, fmt.Errorf("apikey: keys %q and %q are the same key", prev, k.Name))
		}
		seen[d] = k.Name
		s.keys = append(s.keys, staticKey{d, k})
	}
	return s, errors.Join(errs...)
}

// LookupKey finds key.
func (s *Static) LookupKey(_ context.Context, key string) (*authentication.Principal, error) {
	d := sha256.Sum256([]byte(key))
	found := -1
	for i := range s.keys {
		if subtle.ConstantTimeCompare(d[:], s.keys[i].digest[:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return nil, authentication.Invalid("The API key is unknown.")
	}
	k := s.keys[found].k
	return &authentication.Principal{ID: k.Name, Name: k.Name, Roles: k.Roles, Scopes: k.Scopes}, nil
}
