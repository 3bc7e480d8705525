// Package config is Backplane's configuration component: layered
// configuration — declared defaults, files, the environment, --set flags —
// merged, kept apart for origins, and decoded strictly into the sections
// components declare with the settings package.
//
// # Layers
//
// Values merge in this order, later layers winning:
//
//  1. defaults: the sections components declare (settings.Declare), then
//     [WithDefaults];
//  2. environment aliases: the variables sections declare
//     (settings.Env, settings.EnvSets) — HOST and PORT for rest,
//     DATABASE_URL for a datasource's url — so that a platform's
//     conventions are one layer, above the defaults and below files;
//  3. files — YAML, JSON or TOML, chosen by extension — from [WithFiles],
//     then the command line's --config flags (repeatable), or, when there
//     is no --config, the <APP>_CONFIG environment variable
//     (comma-separated); a later file wins over an earlier one. A file's
//     string values may name environment variables: ${NAME},
//     ${NAME:-fallback}, $${ for a literal ${; an unset one without
//     fallback is an error of kind [UnsetVariable] naming the key and line;
//  4. the environment: <APP>_SECTION__KEY=value sets section.key. <APP>
//     is the application name upper-cased, other characters than letters
//     and digits as "_" ([EnvName]); path segments are separated by a
//     double underscore; a segment in upper case is lower-cased, one with a
//     lower-case letter keeps its spelling, so camelCase map keys can be
//     set (<APP>_GREETING__NAMES__fooBar; [EnvPath]); a variable with the
//     prefix but no double underscore (<APP>_CONFIG, <APP>_DEBUG) is not
//     configuration;
//  5. --set path=value flags (repeatable, later wins; [ParseOverride]).
//
// In the environment and --set, a segment that is a decimal number names
// a list element (users.accounts.1.password): it merges into that element
// of a list a lower layer gave, or appends at the next index.
//
// [Load] reads the layers and merges them; each layer is also kept
// alone, so that every value can say where it came from
// ([Config.Origin]). The package does not use koanf: its providers would
// read a file (os.ReadFile does) and flatten keys on a delimiter (keys
// with dots, such as host names, would split), and its merge keeps no
// layer apart, while origins, line numbers and environment aliases need
// each layer as it was read; the merge is a few lines here.
//
// # Sections
//
// A component declares its section with settings.Declare, in Mount, and
// reads it with Section.Get from its Init or later. The component is the
// application's settings.Source: its observer runs in the "config"
// lifecycle group, whose Init loads every layer and checks every declared
// section before anything else initializes. [Config.Decode] decodes a
// section of a loaded configuration directly, for tools.
//
// Keys match struct fields by their `config`, `json`, `yaml` or `koanf`
// tag name (else the field name), ignoring case, '-' and '_': "maxConns",
// "max_conns" and the environment's MAX_CONNS are one key. Keys keep the
// spelling of their source in errors and in map fields. A struct field
// tagged `config:",inline"` gives its keys to its parent.
//
// # Strictness
//
// Decoding is strict: an unknown key, a value of the wrong type, or a
// top-level section nothing claims is an [*Error] that names the key path
// and where the value came from ("app.yaml (line 3)", "environment
// variable TODO_REST__PORT", "environment variable PORT", "--set
// rest.port=x", "defaults"), with a
// "did you mean" where a key is close. A key that only the declared
// defaults or environment aliases set, and that the section's type does
// not have, is skipped (DATABASE_URL for a connector without a url).
// Values typed as text (environment, --set) are converted to the field's
// type ("3000" → 3000, "a,b" → a list, "5s" → a time.Duration); values in
// files are not (a quoted "3000" is not a number). Durations are written as text ("5s") in every layer;
// fields implementing encoding.TextUnmarshaler read text. A malformed
// file is a [*SyntaxError] with the parser's line and column (YAML gives
// a line only). All problems are reported at once, when the application
// initializes — before anything starts — and exit the command line with
// code 2.
//
// # Checking a configuration
//
// [Validate] checks a configuration against the sections declared in a
// context without binding anything. The component adds a `config`
// command that does the same dry run — nothing initializes or starts —
// then prints the effective values (`--origins`: one line per value with
// where it came from). Values of keys that name credentials (password,
// secret, token, ...) are printed as <redacted>, and so is the password
// of a URL (postgres://app:<redacted>@db/todo), which DATABASE_URL and
// datasource urls carry.
package config
