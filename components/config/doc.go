// Package config is Backplane's configuration component, built on koanf:
// layered configuration, bound into the context and decoded strictly, one
// section per component.
//
// # Layers
//
// Values merge in this order, later layers winning:
//
//  1. defaults: the sections components [Declare], then [WithDefaults];
//  2. files — YAML, JSON or TOML, chosen by extension — from [WithFiles],
//     then the command line's --config flags (repeatable), or, when there
//     is no --config, the <APP>_CONFIG environment variable
//     (comma-separated); a later file wins over an earlier one;
//  3. the environment: <APP>_SECTION__KEY=value sets section.key. <APP>
//     is the application name upper-cased, other characters than letters
//     and digits as "_" ([EnvName]); path segments are separated by a
//     double underscore ([EnvPath]); a variable with the prefix but no
//     double underscore (<APP>_CONFIG, <APP>_DEBUG) is not configuration;
//  4. --set path=value flags (repeatable, later wins; [ParseOverride]).
//
// [Load] reads the layers with koanf's file and environment providers and
// merges them with koanf; each layer is also kept alone, so that every
// value can say where it came from ([Config.Origin]).
//
// # Sections
//
// Each component reads only its own section. A binding tagged
// bindings.TagConfigSection with a section path ("rest", "data.db")
// receives that section through kernel.ConfigName(key), as a
// kernel.Decoder ([Section]): a struct built by the kernel gets it in its
// `config:""` field (starting from the template's values, which survive
// for keys no layer sets), anything else calls kernel.ConfigOf or
// [SectionOf]. [Declare] gives a section its Go type and defaults.
//
// Keys match struct fields by their `config`, `json`, `yaml` or `koanf`
// tag name (else the field name), ignoring case, '-' and '_': "maxConns",
// "max_conns" and the environment's MAX_CONNS are one key. Keys keep the
// spelling of their source in errors and in map fields.
//
// # Strictness
//
// Decoding is strict: an unknown key, a value of the wrong type, or a
// top-level section nothing claims is an [*Error] that names the key path
// and where the value came from ("app.yaml (line 3)", "environment
// variable TODO_REST__PORT", "--set rest.port=x", "defaults"), with a
// "did you mean" where a key is close. Values typed as text (environment,
// --set) are converted to the field's type ("3000" → 3000, "a,b" → a
// list, "5s" → a time.Duration); values in files are not (a quoted "3000"
// is not a number). Durations are written as text ("5s") in every layer;
// fields implementing encoding.TextUnmarshaler read text. A malformed
// file is a [*SyntaxError] with the parser's line and column (YAML gives
// a line only). All problems are reported at once, when the application
// initializes — before anything starts — and exit the command line with
// code 2.
//
// # Checking a configuration
//
// [Validate] checks a configuration against the sections claimed in a
// context without binding anything. The component adds a `config`
// command that does the same dry run — nothing initializes or starts —
// then prints the effective values (`--origins`: one line per value with
// where it came from). Values of keys that name credentials (password,
// secret, token, ...) are printed as <redacted>.
package config
