// Package settings is how a component reads its configuration: it
// declares a section — a dotted path, the Go type the section is read
// as, its defaults, and the environment variables that conventionally
// set some of its keys — and reads the section, decoded into that type.
//
// It is a contract, not a loader: it links no configuration file format.
// The config component (components/config) provides the values when an
// application mounts it — files, the environment, --set flags, merged
// and checked strictly — by binding a [Source] at [SourceKey]. An
// application without it reads every section's declared defaults.
//
// # Declaring and reading a section
//
// A component declares its section when it is mounted and reads it when
// it initializes, after the configuration is loaded:
//
//	type Config struct {
//		Host string `json:"host"`
//		Port int    `json:"port"`
//	}
//
//	func (c *component) Mount(app *backplane.App) error {
//		c.section = settings.Declare(app.Context(), "rest", Config{Host: "127.0.0.1", Port: 3000},
//			settings.Env("HOST", "host"), settings.Env("PORT", "port"))
//		...
//	}
//
//	func (s *Server) Init(ctx context.Context) error {
//		cfg, err := s.section.Get() // defaults, overlaid by every layer that sets a key
//		...
//	}
//
// A declared section is claimed: the config component checks it against
// its type before anything initializes (an unknown key, with a "did you
// mean", or a value of the wrong type is an error naming the key and the
// file and line, environment variable or --set argument it came from),
// shows its defaults in the `config` command, and reports as unknown any
// section nothing declares.
//
// # Environment aliases
//
// [Env] and [EnvSets] declare the conventional variables of a section
// (PORT, HOST, DATABASE_URL): they are one layer of the configuration,
// above the defaults and below files, and an error about a value they set
// names the variable ("environment variable PORT").
//
// # Sections whose shape depends on their values
//
// A section type implementing [Unmarshaler] decodes itself: a datasource
// reads its connector's name, then decodes the rest of its section into
// that connector's own options.
package settings
