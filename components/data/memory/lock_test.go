package memory_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backplane-dev/backplane/components/data"
	"github.com/backplane-dev/backplane/components/data/memory"
)

// A second store on the same file fails to open, naming the file and
// its holder; once the first closes, the file is free.
func TestFileIsLocked(t *testing.T) {
	file := filepath.Join(t.TempDir(), "db.json")
	a, err := memory.Open(file, "")
	ok(t, err)
	_, err = memory.Open(file, "")
	var inUse *memory.InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("second open: %v, want an *InUseError", err)
	}
	if inUse.File != file || !strings.Contains(inUse.Holder, "pid "+strconv.Itoa(os.Getpid())) ||
		!strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "one writer") {
		t.Errorf("the error does not teach: %v (holder %q)", err, inUse.Holder)
	}
	ok(t, a.Close())
	b, err := memory.Open(file, "")
	ok(t, err)
	ok(t, b.Close())
}

// Two processes: the second fails its start with the first's pid in the
// error, and no write of the first is lost.
func TestSecondProcessFailsToStart(t *testing.T) {
	if file := os.Getenv("MEMORY_TEST_HOLD_FILE"); file != "" {
		holdChild(file)
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	file := filepath.Join(t.TempDir(), "db.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondProcessFailsToStart$")
	cmd.Env = append(os.Environ(), "MEMORY_TEST_HOLD_FILE="+file)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	ok(t, err)
	out, err := cmd.StdoutPipe()
	ok(t, err)
	ok(t, cmd.Start())
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("the child did not start: %q", lines.Text())
	}
	start := time.Now()
	_, err = data.Open(context.Background(), "db", data.Config{Connector: "memory", Options: memory.Options{File: file}})
	var inUse *memory.InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("open beside a running process: %v", err)
	}
	if want := "pid " + strconv.Itoa(cmd.Process.Pid); !strings.Contains(err.Error(), want) {
		t.Errorf("the error does not name the holder (%s): %v", want, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing took %v", d)
	}
	in.Close() // the child closes its store and exits
	ok(t, cmd.Wait())
	s := openFile(t, file)
	defer s.stop(t)
	n, err := s.todos.Count(context.Background(), nil)
	ok(t, err)
	if n != 1 {
		t.Errorf("%d todos after the child, want 1", n)
	}
}

// holdChild opens the store, writes one todo, says ready, and holds the
// file until its stdin closes.
func holdChild(file string) {
	s := openFileOrExit(file)
	if _, err := s.todos.Create(context.Background(), Todo{Title: "child"}); err != nil {
		os.Exit(3)
	}
	os.Stdout.WriteString("ready\n")
	buf := make([]byte, 1)
	os.Stdin.Read(buf)
	if err := s.ds.Stop(context.Background()); err != nil {
		os.Exit(4)
	}
	os.Exit(0)
}

func openFileOrExit(file string) stores {
	ctx := context.Background()
	ds, err := data.Open(ctx, "db", data.Config{Connector: "memory", Options: memory.Options{File: file}})
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(2)
	}
	todos, err := data.NewRepository[Todo, int64](ds)
	if err != nil {
		os.Exit(2)
	}
	tags, err := data.NewRepository[Tag, string](ds)
	if err != nil {
		os.Exit(2)
	}
	return stores{ds, todos, tags}
}
