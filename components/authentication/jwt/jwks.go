package jwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// jwks holds the keys of a JWK Set, by kid: fetched on first use,
// refreshed every refresh, and at most every minRefresh when a token
// names a kid the set does not have (so a flood of made-up kids costs
// one fetch per minRefresh, not one per request). A failed refresh
// keeps the keys already known. At most maxKeys keys are kept and at
// most 1 MiB of the set is read.
type jwks struct {
	url        string
	client     *http.Client
	refresh    time.Duration
	minRefresh time.Duration
	maxKeys    int
	now        func() time.Time

	mu      sync.Mutex // held while fetching, so one fetch runs at a time
	keys    map[string]jwk
	fetched time.Time // last attempt
	ok      bool      // the last attempt succeeded
}

type jwk struct {
	alg string // empty: any that fits the key
	key crypto.PublicKey
}

const maxJWKSBytes = 1 << 20

// errUnknownKey: the set has no key of the token's kid.
var errUnknownKey = errors.New("unknown key")

// errJWKSUnavailable: the set could not be fetched and no key is known.
var errJWKSUnavailable = errors.New("the JWK Set is unavailable")

func (s *jwks) key(ctx context.Context, kid string) (jwk, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	since := now.Sub(s.fetched)
	k, known := s.keys[kid]
	stale := s.keys == nil || since >= s.refresh || !s.ok && since >= s.minRefresh
	if !stale && !known && since >= s.minRefresh {
		stale = true
	}
	if stale {
		s.fetched = now
		keys, err := s.fetch(ctx)
		s.ok = err == nil
		if err == nil {
			s.keys = keys
		} else if s.keys == nil {
			return jwk{}, fmt.Errorf("%w: %w", errJWKSUnavailable, err)
		}
		k, known = s.keys[kid]
	}
	if !known {
		return jwk{}, errUnknownKey
	}
	return k, nil
}

func (s *jwks) fetch(ctx context.Context) (map[string]jwk, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", s.url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("GET %s: the set is over %d bytes", s.url, maxJWKSBytes)
	}
	return parseJWKS(body, s.maxKeys)
}

type rawJWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// parseJWKS reads a JWK Set's signature keys; keys it cannot use
// (encryption keys, unknown types) are skipped.
func parseJWKS(body []byte, maxKeys int) (map[string]jwk, error) {
	var set struct {
		Keys []rawJWK `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("the JWK Set is not JSON: %w", err)
	}
	out := map[string]jwk{}
	for _, r := range set.Keys {
		if len(out) >= maxKeys {
			break
		}
		if r.Use != "" && r.Use != "sig" {
			continue
		}
		k, err := r.publicKey()
		if err != nil {
			continue
		}
		out[r.Kid] = jwk{alg: r.Alg, key: k}
	}
	return out, nil
}

func b64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

func (r rawJWK) publicKey() (crypto.PublicKey, error) {
	switch r.Kty {
	case "RSA":
		n, err1 := b64(r.N)
		e, err2 := b64(r.E)
		if err1 != nil || err2 != nil || len(n) < 256 || len(e) == 0 || len(e) > 4 {
			return nil, errors.New("bad RSA key") // under 2048 bits is refused
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	case "EC":
		var c elliptic.Curve
		switch r.Crv {
		case "P-256":
			c = elliptic.P256()
		case "P-384":
			c = elliptic.P384()
		case "P-521":
			c = elliptic.P521()
		default:
			return nil, errors.New("unknown curve")
		}
		x, err1 := b64(r.X)
		y, err2 := b64(r.Y)
		if err1 != nil || err2 != nil {
			return nil, errors.New("bad EC key")
		}
		size := (c.Params().BitSize + 7) / 8
		if len(x) != size || len(y) != size {
			return nil, errors.New("bad EC key")
		}
		// ecdsa.ParseUncompressedPublicKey checks the point is on the curve.
		return ecdsa.ParseUncompressedPublicKey(c, append(append([]byte{4}, x...), y...))
	case "OKP":
		x, err := b64(r.X)
		if r.Crv != "Ed25519" || err != nil || len(x) != ed25519.PublicKeySize {
			return nil, errors.New("bad OKP key")
		}
		return ed25519.PublicKey(x), nil
	}
	return nil, errors.New("unknown key type")
}
