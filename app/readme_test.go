package app_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readmeCommand is a command of the README: its line, its text (lines
// joined as written, continuations included) and the exit code it expects.
type readmeCommand struct {
	line int
	text string
	exit int
}

// optionalTools are programs the README uses that a machine may lack; a
// command starting with one of them is reported, not run, when it is
// absent.
var optionalTools = []string{"sqlite3"}

// expectedExit matches the marker of a command expected to fail.
var expectedExit = regexp.MustCompile(`#\s*exit (\d+)\s*$`)

// readmeCommands extracts the commands of the README's console blocks, as
// the README's "How this README is tested" describes: in ```console blocks,
// a line starting with "$ " starts a command and lines ending with a
// backslash continue it; "# exit N" at its end says it must exit with N. A
// "$ " line outside a console block is an error.
func readmeCommands(path string) ([]readmeCommand, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cmds []readmeCommand
	var errs []error
	fence, console := false, false
	var cur *readmeCommand
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if cur != nil {
			cur.text += "\n" + line
			if !strings.HasSuffix(line, "\\") {
				cmds = append(cmds, *cur)
				cur = nil
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "```"):
			fence = !fence
			console = fence && strings.TrimSpace(strings.TrimPrefix(line, "```")) == "console"
		case strings.HasPrefix(line, "$ ") && !console:
			errs = append(errs, errors.New(path+":"+strconv.Itoa(n)+": a command outside a ```console block, which the test would not run"))
		case strings.HasPrefix(line, "$ "):
			c := readmeCommand{line: n, text: strings.TrimPrefix(line, "$ ")}
			if strings.HasSuffix(line, "\\") {
				cur = &c
				continue
			}
			cmds = append(cmds, c)
		}
	}
	if cur != nil {
		errs = append(errs, errors.New(path+":"+strconv.Itoa(cur.line)+": the command's last line ends with a backslash"))
	}
	for i := range cmds {
		if m := expectedExit.FindStringSubmatch(cmds[i].text); m != nil {
			cmds[i].exit, _ = strconv.Atoi(m[1])
		}
	}
	return cmds, errors.Join(append(errs, sc.Err())...)
}

// readmeCommandTimeout bounds one README command: it stops a command that
// hangs, not a slow one. datasets.toml's batch takes 30 s on an idle
// machine of two cores and over two minutes on a busy one. It is under go
// test's default timeout of ten minutes, so that a hung command fails the
// test with its line rather than a panic.
const readmeCommandTimeout = 5 * time.Minute

// TestREADME runs every command of README.md's console blocks, in order, in
// one temporary directory holding a link to testdata/, with the forecast
// binary built from this tree first on PATH, and fails naming the README
// line of any command that exits with another code than the README says.
// The outputs in the README are excerpts and are not compared.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command of README.md, some of which train models")
	}
	cmds, err := readmeCommands("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) < 20 {
		t.Fatalf("README.md holds %d commands in console blocks; the parser must have missed some", len(cmds))
	}
	bin := buildForecast(t)
	dir := t.TempDir()
	testdata, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(testdata, filepath.Join(dir, "testdata")); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FORECAST_DB=") && !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, c := range cmds {
		prog := strings.Fields(c.text)[0]
		if optional(prog) {
			if _, err := exec.LookPath(prog); err != nil {
				t.Logf("README.md:%d: not run: %s is not installed", c.line, prog)
				continue
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), readmeCommandTimeout)
		cmd := exec.CommandContext(ctx, "bash", "-c", c.text)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		cancel()
		code := 0
		if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("README.md:%d: %v", c.line, err)
		}
		if code != c.exit {
			t.Fatalf("README.md:%d: exit code %d, want %d:\n$ %s\n%s", c.line, code, c.exit, c.text, out)
		}
	}
}

func optional(prog string) bool {
	for _, p := range optionalTools {
		if p == prog {
			return true
		}
	}
	return false
}

// TestReadmeCommands checks the README parser on a sample: continuation
// lines, the exit marker, blocks that are not console blocks, and a
// command left outside a console block.
func TestReadmeCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	sample := "text\n" +
		"```console\n" +
		"$ forecast version\n" +
		"forecast dev\n" +
		"$ forecast fit a.csv \\\n" +
		"    --target y  # exit 3\n" +
		"```\n" +
		"```toml\n" +
		"# $ not a command\n" +
		"```\n" +
		"```\n" +
		"$ forecast outside\n" +
		"```\n"
	if err := os.WriteFile(path, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	cmds, err := readmeCommands(path)
	want := []readmeCommand{{3, "forecast version", 0}, {5, "forecast fit a.csv \\\n    --target y  # exit 3", 3}}
	if len(cmds) != len(want) || cmds[0] != want[0] || cmds[1] != want[1] {
		t.Errorf("commands = %q, want %q", cmds, want)
	}
	if err == nil || !strings.Contains(err.Error(), "README.md:12: a command outside a ```console block") {
		t.Errorf("error = %v, want one naming line 12", err)
	}
}
