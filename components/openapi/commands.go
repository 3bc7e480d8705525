package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/kernel"
)

// openapiCommand prints the document without listening: it initializes
// the application (configuration, route tables) and builds the document
// the server would serve. Its subcommands review documents: diff and
// lint; --check compares the document with a committed file.
func openapiCommand() backplane.Command {
	var version, format, out, check string
	return backplane.Command{
		Name:    "openapi",
		Summary: "print the OpenAPI document (--openapi 3.0|3.1, --format json|yaml, --out FILE, --check FILE) without starting the server; `openapi diff OLD NEW` and `openapi lint [FILE]` review documents",
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&version, "openapi", "3.0", "OpenAPI `version`: 3.0 (3.0.3) or 3.1 (3.1.0)")
			fs.StringVar(&format, "format", "", "`format`: json or yaml (default json, or as --check's file name says)")
			fs.StringVar(&out, "out", "", "write to `file` instead of standard output")
			fs.StringVar(&check, "check", "", "fail when `file` differs from the document the code produces")
		},
		Run: func(ctx context.Context, app *backplane.App, args []string) error {
			if len(args) > 0 {
				switch args[0] {
				case "diff":
					return runDiff(ctx, app, args[1:])
				case "lint":
					return runLint(ctx, app, args[1:])
				}
				return &backplane.UsageError{Msg: fmt.Sprintf("openapi: unexpected argument %q (subcommands: diff, lint)", args[0])}
			}
			v, err := parseVersion(version)
			if err != nil {
				return err
			}
			if format == "" {
				format = "json"
				if ext := strings.ToLower(filepath.Ext(check)); ext == ".yaml" || ext == ".yml" {
					format = "yaml"
				}
			}
			f := Format(strings.ToLower(format))
			if f != JSON && f != YAML {
				return &backplane.UsageError{Msg: fmt.Sprintf("openapi: --format %q: want json or yaml", format)}
			}
			spec, err := initSpec(ctx, app)
			if err != nil {
				return err
			}
			b, err := spec.Bytes(v, f)
			if err != nil {
				return err
			}
			if check != "" {
				return checkFile(app, check, b, spec.Document())
			}
			if out != "" {
				if err := os.WriteFile(out, b, 0o644); err != nil {
					return fmt.Errorf("openapi: %w", err)
				}
				return nil
			}
			_, err = app.Stdout().Write(b)
			return err
		},
	}
}

// checkFile compares the committed document at path with the bytes the
// code produces; when they differ it lists what changed.
func checkFile(app *backplane.App, path string, produced []byte, doc *Document) error {
	committed, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("openapi: --check: %w", err)
	}
	if bytes.Equal(committed, produced) {
		fmt.Fprintf(app.Stdout(), "%s is the document the code produces\n", path)
		return nil
	}
	msg := fmt.Sprintf("openapi: %s differs from the document the code produces; review the change and write it with `openapi --out %s`", path, path)
	if old, err := Parse(path, committed); err == nil {
		changes := Diff(old.Document, doc)
		var sb strings.Builder
		_ = WriteChanges(&sb, changes, ChangesText)
		msg += ":\n" + strings.TrimRight(sb.String(), "\n")
	}
	return errors.New(msg)
}

// runDiff is `openapi diff [--format text|markdown|json] [--fail-on
// breaking|warning|never] OLD NEW`, or `openapi diff --app OLD` for the
// application's own document against OLD.
func runDiff(ctx context.Context, app *backplane.App, args []string) error {
	fs := flag.NewFlagSet("openapi diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "`format`: text, markdown or json")
	failOn := fs.String("fail-on", "breaking", "exit 1 on a change of this `impact` or above: breaking, warning or never")
	own := fs.Bool("app", false, "compare OLD with the application's own document")
	if err := fs.Parse(args); err != nil {
		return &backplane.UsageError{Msg: "openapi diff: " + err.Error()}
	}
	args = fs.Args()
	want := 2
	if *own {
		want = 1
	}
	if len(args) != want {
		return &backplane.UsageError{Msg: "usage: openapi diff [--format text|markdown|json] [--fail-on breaking|warning|never] OLD NEW, or openapi diff --app OLD"}
	}
	var threshold Impact
	switch *failOn {
	case "breaking":
		threshold = Breaking
	case "warning":
		threshold = Warning
	case "never":
		threshold = -1
	default:
		return &backplane.UsageError{Msg: fmt.Sprintf("openapi diff: --fail-on %q: want breaking, warning or never", *failOn)}
	}
	old, err := LoadDocument(ctx, args[0])
	if err != nil {
		return err
	}
	var newDoc *Document
	if *own {
		spec, err := initSpec(ctx, app)
		if err != nil {
			return err
		}
		newDoc = spec.Document()
	} else {
		p, err := LoadDocument(ctx, args[1])
		if err != nil {
			return err
		}
		newDoc = p.Document
	}
	changes := Diff(old.Document, newDoc)
	if err := WriteChanges(app.Stdout(), changes, ChangesFormat(*format)); err != nil {
		return &backplane.UsageError{Msg: err.Error()}
	}
	if threshold >= 0 && AtLeast(changes, threshold) {
		b, w, _ := CountChanges(changes)
		return fmt.Errorf("openapi diff: %d breaking change(s), %d warning(s)", b, w)
	}
	return nil
}

// LoadDocument reads a document from a file or an http(s) URL.
func LoadDocument(ctx context.Context, src string) (*Parsed, error) {
	if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
		return ParseFile(src)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("openapi: GET %s: %s", src, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("openapi: GET %s: %w", src, err)
	}
	return Parse(src, b)
}

// runLint is `openapi lint [--rules r1,r2|all] [--format text|json]
// [FILE]`: the rules' problems in FILE, or in the application's own
// document.
func runLint(ctx context.Context, app *backplane.App, args []string) error {
	fs := flag.NewFlagSet("openapi lint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	ruleList := fs.String("rules", "", "comma-separated rule `IDs`, or all (default: the default rules)")
	format := fs.String("format", "text", "`format`: text or json")
	list := fs.Bool("list", false, "list the rules and exit")
	if err := fs.Parse(args); err != nil {
		return &backplane.UsageError{Msg: "openapi lint: " + err.Error()}
	}
	args = fs.Args()
	if len(args) > 1 {
		return &backplane.UsageError{Msg: "usage: openapi lint [--rules r1,r2|all] [--format text|json] [FILE]"}
	}
	if err := app.Init(ctx); err != nil {
		return err
	}
	rules := BuiltinRules()
	extra, err := Rules.List(ctx, app.Context())
	if err != nil {
		return err
	}
	rules = append(rules, extra...)
	if *list {
		tw := tabwriter.NewWriter(app.Stdout(), 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tDEFAULT\tWHAT")
		for _, r := range rules {
			fmt.Fprintf(tw, "%s\t%v\t%s\n", r.ID, r.Default, r.Doc)
		}
		return tw.Flush()
	}
	chosen, err := chooseRules(rules, *ruleList)
	if err != nil {
		return err
	}
	var doc *Document
	if len(args) == 1 {
		p, err := LoadDocument(ctx, args[0])
		if err != nil {
			return err
		}
		doc = p.Document
	} else {
		spec, err := initSpec(ctx, app)
		if err != nil {
			return err
		}
		doc = spec.Document()
	}
	problems := Lint(doc, chosen)
	switch *format {
	case "json":
		enc := json.NewEncoder(app.Stdout())
		enc.SetIndent("", "  ")
		if problems == nil {
			problems = []Problem{}
		}
		if err := enc.Encode(problems); err != nil {
			return err
		}
	case "text", "":
		for _, p := range problems {
			fmt.Fprintln(app.Stdout(), p.String())
		}
	default:
		return &backplane.UsageError{Msg: fmt.Sprintf("openapi lint: --format %q: want text or json", *format)}
	}
	if len(problems) > 0 {
		return fmt.Errorf("openapi lint: %d problem(s)", len(problems))
	}
	return nil
}

func chooseRules(rules []Rule, list string) ([]Rule, error) {
	var out []Rule
	switch list {
	case "":
		for _, r := range rules {
			if r.Default {
				out = append(out, r)
			}
		}
		return out, nil
	case "all":
		return rules, nil
	}
	for id := range strings.SplitSeq(list, ",") {
		id = strings.TrimSpace(id)
		i := slices.IndexFunc(rules, func(r Rule) bool { return r.ID == id })
		if i < 0 {
			var ids []string
			for _, r := range rules {
				ids = append(ids, r.ID)
			}
			return nil, &backplane.UsageError{Msg: fmt.Sprintf("openapi lint: no rule %q (rules: %s)", id, strings.Join(ids, ", "))}
		}
		out = append(out, rules[i])
	}
	return out, nil
}

func parseVersion(s string) (Version, error) {
	switch s {
	case "3.0", "3.0.3", "3":
		return V30, nil
	case "3.1", "3.1.0":
		return V31, nil
	}
	return "", &backplane.UsageError{Msg: fmt.Sprintf("openapi: --openapi %q: want 3.0 or 3.1", s)}
}

func initSpec(ctx context.Context, app *backplane.App) (*Spec, error) {
	if err := app.Init(ctx); err != nil {
		return nil, err
	}
	svc, err := kernel.Resolve(context.Background(), app.Context(), ServiceKey)
	if err != nil {
		return nil, err
	}
	return svc.Spec(ctx)
}

// routesCommand prints every operation of the document: method, path,
// operationId, summary, sorted by path then method.
func routesCommand() backplane.Command {
	return backplane.Command{
		Name:    "routes",
		Summary: "list the API's operations: method, path, operationId and summary",
		Run: func(ctx context.Context, app *backplane.App, args []string) error {
			if len(args) > 0 {
				return &backplane.UsageError{Msg: fmt.Sprintf("routes: unexpected argument %q", args[0])}
			}
			spec, err := initSpec(ctx, app)
			if err != nil {
				return err
			}
			return PrintRoutes(app.Stdout(), spec.Document())
		},
	}
}

// PrintRoutes writes the operations of d as a table.
func PrintRoutes(w io.Writer, d *Document) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tOPERATION\tSUMMARY")
	d.Operations(func(method, path string, op *Operation) {
		summary := op.Summary
		if op.Deprecated {
			summary += " (deprecated)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", method, path, op.OperationID, summary)
	})
	return tw.Flush()
}
