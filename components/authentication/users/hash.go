package users

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// hasher hashes new passwords with the configured scheme and verifies
// stored hashes of any scheme.
type hasher struct {
	scheme string
	cost   int
}

// argon2id parameters (RFC 9106's second recommended option: 64 MiB,
// 3 passes, 4 lanes).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 4
	argonKeyLen  = 32
	argonSaltLen = 16
)

func newHasher(cfg Config) (hasher, error) {
	switch cfg.Hash {
	case "bcrypt":
		if cfg.BcryptCost < bcrypt.MinCost || cfg.BcryptCost > bcrypt.MaxCost {
			return hasher{}, fmt.Errorf("users.bcryptCost: %d is outside bcrypt's %d to %d", cfg.BcryptCost, bcrypt.MinCost, bcrypt.MaxCost)
		}
		return hasher{scheme: "bcrypt", cost: cfg.BcryptCost}, nil
	case "argon2id":
		return hasher{scheme: "argon2id"}, nil
	}
	return hasher{}, fmt.Errorf("users.hash: %q is not a password hash: use bcrypt or argon2id", cfg.Hash)
}

func (h hasher) hash(password string) (string, error) {
	if h.scheme == "argon2id" {
		salt := make([]byte, argonSaltLen)
		if _, err := rand.Read(salt); err != nil {
			return "", err
		}
		key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
		b64 := base64.RawStdEncoding
		return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
			b64.EncodeToString(salt), b64.EncodeToString(key)), nil
	}
	// bcrypt reads at most 72 bytes: longer passwords are refused by
	// the library rather than silently cut.
	b, err := bcrypt.GenerateFromPassword([]byte(password), h.cost)
	if err != nil {
		return "", fmt.Errorf("users: hash the password: %w", err)
	}
	return string(b), nil
}

// verify reports whether password matches the stored hash, whatever its
// scheme.
func (h hasher) verify(stored, password string) bool {
	if strings.HasPrefix(stored, "$argon2id$") {
		return verifyArgon2id(stored, password)
	}
	return bcrypt.CompareHashAndPassword([]byte(stored), []byte(password)) == nil
}

func verifyArgon2id(stored, password string) bool {
	parts := strings.Split(stored, "$") // "", argon2id, v=19, m=..,t=..,p=.., salt, key
	if len(parts) != 6 {
		return false
	}
	var version int
	var mem, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &time, &threads); err != nil || mem == 0 || mem > 1<<20 || time == 0 || time > 16 || threads == 0 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) == 0 || len(key) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, time, mem, threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}
