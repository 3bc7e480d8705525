package backplane

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/backplane-dev/backplane/bindings"
	"github.com/backplane-dev/backplane/kernel"
)

// Command is a command of the application's command line. Components add
// their own (openapi, routes, migrate) with [App.Command].
type Command struct {
	Name    string
	Summary string
	// Flags, when set, declares the command's own flags on fs.
	Flags func(fs *flag.FlagSet)
	// Run does the work. args are what is left after flags.
	Run func(ctx context.Context, app *App, args []string) error
}

// Command adds a command to the application's command line. A second
// command with the same name replaces the first.
func (a *App) Command(c Command) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.commands[c.Name] = c
}

// ExitCoder is implemented by errors that choose the process exit code
// (configuration errors exit with 2).
type ExitCoder interface {
	ExitCode() int
}

// UsageError is a command-line mistake; it exits with code 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// ExitCode returns 2.
func (e *UsageError) ExitCode() int { return 2 }

// Main runs the command line and exits the process: `serve` (the default)
// runs the application until SIGINT or SIGTERM; `bindings` prints the
// context; `help` lists every command. Global flags: --config FILE
// (repeatable) and --set path=value (repeatable).
func (a *App) Main() {
	os.Exit(a.Execute(context.Background(), os.Args[1:], os.Stderr))
}

// Execute runs the command line given by args and returns the exit code:
// 0 on success, 2 for usage and configuration errors, 1 otherwise. Errors
// are written to stderr.
func (a *App) Execute(ctx context.Context, args []string, stderr io.Writer) int {
	err := a.execute(ctx, args)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "%s: %v\n", a.name, err)
	var ec ExitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return 1
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func (a *App) execute(ctx context.Context, args []string) error {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	a.mu.Lock()
	cmd, ok := a.commands[name]
	a.mu.Unlock()
	if !ok {
		return &UsageError{Msg: fmt.Sprintf("unknown command %q; run %q for the list", name, a.name+" help")}
	}
	fs := flag.NewFlagSet(a.name+" "+name, flag.ContinueOnError)
	stderr := a.stdout()
	fs.SetOutput(stderr)
	var files, sets multiFlag
	fs.Var(&files, "config", "configuration `file` (YAML, JSON or TOML; repeatable, later files win)")
	fs.Var(&sets, "set", "configuration override `path=value` (repeatable; wins over every other layer)")
	if cmd.Flags != nil {
		cmd.Flags(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &UsageError{Msg: err.Error()}
	}
	if len(files) > 0 {
		kernel.Bind(a.ctx, bindings.ConfigFiles, kernel.Value([]string(files)))
	}
	if len(sets) > 0 {
		kernel.Bind(a.ctx, bindings.ConfigOverrides, kernel.Value([]string(sets)))
	}
	return cmd.Run(ctx, a, fs.Args())
}

func (a *App) stdout() io.Writer {
	w, err := kernel.Resolve(context.Background(), a.ctx, bindings.Stdout)
	if err != nil || w == nil {
		return os.Stdout
	}
	return w
}

// Stdout returns where commands print (os.Stdout unless rebound).
func (a *App) Stdout() io.Writer { return a.stdout() }

func (a *App) addBuiltinCommands() {
	a.commands["serve"] = Command{
		Name:    "serve",
		Summary: "start the application and run until SIGINT or SIGTERM (the default)",
		Run: func(ctx context.Context, app *App, _ []string) error {
			return app.Run(ctx)
		},
	}
	a.commands["bindings"] = Command{
		Name:    "bindings",
		Summary: "print the application context: keys, scopes, sources, types and tags",
		Run: func(ctx context.Context, app *App, _ []string) error {
			// Print the context even when Init or the wiring check fails:
			// that is when it helps most. The error follows it.
			initErr := app.Init(ctx)
			if err := PrintBindings(app.stdout(), app.ctx); err != nil {
				return errors.Join(initErr, err)
			}
			return initErr
		},
	}
	a.commands["help"] = Command{
		Name:    "help",
		Summary: "list the commands",
		Run: func(_ context.Context, app *App, _ []string) error {
			w := app.stdout()
			fmt.Fprintf(w, "Usage: %s <command> [--config FILE] [--set path=value] [flags]\n\nCommands:\n", app.name)
			app.mu.Lock()
			names := make([]string, 0, len(app.commands))
			for n := range app.commands {
				names = append(names, n)
			}
			app.mu.Unlock()
			slices.Sort(names)
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			for _, n := range names {
				fmt.Fprintf(tw, "  %s\t%s\n", n, app.commands[n].Summary)
			}
			return tw.Flush()
		},
	}
}

// PrintBindings writes the context tree from c up to its root: for each
// context, its own bindings sorted by key with scope, source, type and tags.
func PrintBindings(w io.Writer, c *kernel.Context) error {
	var chain []*kernel.Context
	for x := c; x != nil; x = x.Parent() {
		chain = append(chain, x)
	}
	slices.Reverse(chain)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for depth, x := range chain {
		indent := strings.Repeat("  ", depth)
		fmt.Fprintf(tw, "%scontext %q (%s)\n", indent, x.Name(), x.Kind())
		fmt.Fprintf(tw, "%s  KEY\tSCOPE\tSOURCE\tTYPE\tTAGS\n", indent)
		for _, b := range x.Own() {
			typ := "-"
			if b.Type() != nil {
				typ = b.Type().String()
			}
			tags := strings.Join(b.Tags(), ",")
			if tags == "" {
				tags = "-"
			}
			lock := ""
			if b.Locked() {
				lock = " (locked)"
			}
			fmt.Fprintf(tw, "%s  %s%s\t%s\t%s\t%s\t%s\n", indent, b.Key(), lock, b.Scope(), b.Source(), typ, tags)
		}
	}
	return tw.Flush()
}
