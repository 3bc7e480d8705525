package rest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Config is the "rest" configuration section.
//
//	rest:
//	  host: 127.0.0.1
//	  port: 3000
//	  basePath: /api
//	  bodyLimit: 1MB
//	  readHeaderTimeout: 5s
//	  cors: {allowOrigins: ["https://app.example.com"]}
type Config struct {
	// Host to listen on; "" or "127.0.0.1" by default. The HOST
	// environment variable sets it (above the defaults, below files and
	// <APP>_REST__HOST) when the config component is mounted.
	Host string `json:"host"`
	// Port to listen on; 0 picks a free port. The PORT environment
	// variable sets it like HOST.
	Port int `json:"port"`
	// BasePath prefixes every route ("/api").
	BasePath string `json:"basePath"`
	// BodyLimit caps request bodies: "1MB", "512KB", or bytes.
	BodyLimit Size `json:"bodyLimit"`
	// Timeouts: a client that sends its headers slowly, or its body, or
	// reads the response slowly, cannot hold a connection longer.
	ReadHeaderTimeout time.Duration `json:"readHeaderTimeout"`
	ReadTimeout       time.Duration `json:"readTimeout"`
	WriteTimeout      time.Duration `json:"writeTimeout"`
	IdleTimeout       time.Duration `json:"idleTimeout"`
	// MaxHeaderBytes caps request headers.
	MaxHeaderBytes int `json:"maxHeaderBytes"`
	// MaxResponseSize caps the JSON a route writes (default 128MB; 0
	// turns it off). A response found over it before anything was sent
	// answers 400 RESPONSE_TOO_LARGE; a large array is streamed as it is
	// encoded, and one that passes the cap while streaming has its
	// connection cut (a client sees a truncated response, never a
	// complete-looking one). See docs/reference/limits.md.
	MaxResponseSize Size `json:"maxResponseSize"`
	// CORS, off unless AllowOrigins is set.
	CORS CORSConfig `json:"cors"`
	// AccessLog logs every request at Info level.
	AccessLog bool `json:"accessLog"`
}

// CORSConfig configures cross-origin requests.
type CORSConfig struct {
	AllowOrigins     []string      `json:"allowOrigins"`
	AllowMethods     []string      `json:"allowMethods"`
	AllowHeaders     []string      `json:"allowHeaders"`
	ExposeHeaders    []string      `json:"exposeHeaders"`
	AllowCredentials bool          `json:"allowCredentials"`
	MaxAge           time.Duration `json:"maxAge"`
}

// DefaultConfig is the configuration a server starts with.
func DefaultConfig() Config {
	return Config{
		Host:              "127.0.0.1",
		Port:              3000,
		BodyLimit:         1 << 20,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		MaxResponseSize:   128 << 20,
	}
}

// Addr is host:port.
func (c Config) Addr() string {
	return c.Host + ":" + strconv.Itoa(c.Port)
}

func (c Config) check() error {
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("rest: port %d is not a TCP port (0-65535)", c.Port)
	}
	if c.MaxResponseSize < 0 {
		return fmt.Errorf("rest: maxResponseSize %d is negative", c.MaxResponseSize)
	}
	if c.BodyLimit < 0 {
		return fmt.Errorf("rest: bodyLimit %d is negative", c.BodyLimit)
	}
	if c.BasePath != "" && (!strings.HasPrefix(c.BasePath, "/") || strings.HasSuffix(c.BasePath, "/")) {
		return fmt.Errorf("rest: basePath %q must start with / and not end with one", c.BasePath)
	}
	return nil
}

// Size is a byte count written as a number or with a unit: "1MB",
// "512KB", "2GiB".
type Size int64

// UnmarshalText reads "1MB", "512kb", "1048576".
func (s *Size) UnmarshalText(b []byte) error {
	n, err := ParseSize(string(b))
	if err != nil {
		return err
	}
	*s = Size(n)
	return nil
}

// MarshalText writes the size in bytes.
func (s Size) MarshalText() ([]byte, error) { return []byte(strconv.FormatInt(int64(s), 10)), nil }

// ParseSize reads a byte count with an optional unit (B, KB, MB, GB,
// KiB, MiB, GiB; case-insensitive; K/M/G are powers of 1024).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a byte count such as 1048576, 512KB or 1MB", s)
	}
	return n * mult, nil
}

// readConfig reads the "rest" section: the defaults, then HOST and PORT,
// files, <APP>_REST__* variables and --set, when the config component is
// mounted.
func (s *Server) readConfig() (Config, error) {
	cfg, err := s.section.Get()
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.check()
}
