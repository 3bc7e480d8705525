// Package config is Backplane's configuration component, built on koanf.
//
// # Layers
//
// Values merge in this order, later layers winning:
//
//  1. defaults ([WithDefaults]);
//  2. files — YAML, JSON or TOML by extension — from [WithFiles], then the
//     command line's --config flags, or else the <APP>_CONFIG environment
//     variable (comma-separated);
//  3. the environment: <APP>_SECTION__KEY=value sets section.key (segments
//     separated by a double underscore, matched case-insensitively; <APP>
//     is the application name upper-cased);
//  4. --set path=value flags.
//
// # Sections
//
// Each component reads only its own section. A binding tagged
// bindings.TagConfigSection with a section path ("rest", "data.db")
// receives that section through kernel.ConfigName(key), as a
// kernel.Decoder: a struct built by the kernel gets it in its `config:""`
// field, anything else calls kernel.ConfigOf or [SectionOf].
//
// # Strictness
//
// Decoding is strict: an unknown key, a value of the wrong type, or a
// top-level section nothing claims is an [*Error] that names the key path
// and where the value came from ("app.yaml (line 3)", "environment",
// "--set"), with a "did you mean" where one is close. Values typed as text
// (environment, --set) are converted to the target type; values in files
// are not. A malformed file is a [*SyntaxError] with the parser's line and
// column. All problems are reported at once, when the application
// initializes — before anything starts — and exit the command line with
// code 2.
//
// # Checking a configuration
//
// The component adds a `config` command that loads and checks every
// section without starting anything, then prints the effective values.
package config
