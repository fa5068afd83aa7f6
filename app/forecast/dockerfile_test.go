package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction: its keyword, upper-cased, and
// its arguments with line continuations joined.
type instruction struct {
	line    int
	keyword string
	args    string
}

// parseDockerfile splits a Dockerfile into instructions, dropping comments
// and joining lines that end with a backslash.
func parseDockerfile(t *testing.T, text string) []instruction {
	t.Helper()
	var out []instruction
	var cur strings.Builder
	start := 0
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		keyword, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{start, strings.ToUpper(keyword), strings.TrimSpace(args)})
		cur.Reset()
	}
	if cur.Len() != 0 {
		t.Fatalf("Dockerfile:%d: the last instruction ends with a line continuation", start)
	}
	return out
}

// TestDockerfile lints app/forecast/Dockerfile without a Docker engine
// (make docker-check builds it instead when one is running): every
// instruction is known, the build is multi-stage with cgo and a Go at least
// as new as go.mod asks, the files it copies exist, and the runtime stage
// runs forecast as its entrypoint under a non-root user.
func TestDockerfile(t *testing.T) {
	text, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{"FROM": true, "RUN": true, "CMD": true, "LABEL": true, "EXPOSE": true, "ENV": true,
		"ADD": true, "COPY": true, "ENTRYPOINT": true, "VOLUME": true, "USER": true, "WORKDIR": true, "ARG": true,
		"ONBUILD": true, "STOPSIGNAL": true, "HEALTHCHECK": true, "SHELL": true}
	type stage struct {
		name, image string
		body        []instruction
	}
	var stages []*stage
	for _, in := range parseDockerfile(t, string(text)) {
		if !known[in.keyword] {
			t.Errorf("Dockerfile:%d: unknown instruction %s", in.line, in.keyword)
		}
		if in.keyword == "FROM" {
			f := strings.Fields(in.args)
			s := &stage{image: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
			} else if len(f) != 1 {
				t.Errorf("Dockerfile:%d: FROM %s: want IMAGE [AS NAME]", in.line, in.args)
			}
			stages = append(stages, s)
			continue
		}
		if len(stages) == 0 {
			if in.keyword != "ARG" {
				t.Errorf("Dockerfile:%d: %s before the first FROM", in.line, in.keyword)
			}
			continue
		}
		stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
	}
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a build stage and a runtime stage", len(stages))
	}
	build, runtime := stages[0], stages[len(stages)-1]

	// The build stage: a Go toolchain new enough for go.mod, and cgo.
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindStringSubmatch(string(mod))
	got := regexp.MustCompile(`^golang:(\d+)\.(\d+)`).FindStringSubmatch(build.image)
	if want == nil || got == nil {
		t.Fatalf("build stage image %q or go.mod's go line not understood", build.image)
	}
	if major, minor := atoi(got[1]), atoi(got[2]); major < atoi(want[1]) || major == atoi(want[1]) && minor < atoi(want[2]) {
		t.Errorf("build stage %s is older than go.mod's go %s.%s", build.image, want[1], want[2])
	}
	var builds bool
	for _, in := range build.body {
		if in.keyword == "RUN" && strings.Contains(in.args, "CGO_ENABLED=1") && strings.Contains(in.args, "go build") &&
			strings.HasSuffix(in.args, "./app/forecast") {
			builds = true
		}
		if in.keyword == "COPY" && !strings.HasPrefix(in.args, "--") {
			f := strings.Fields(in.args)
			for _, src := range f[:len(f)-1] {
				if _, err := os.Stat(filepath.Join("../..", src)); err != nil {
					t.Errorf("Dockerfile:%d: COPY source %s: %v", in.line, src, err)
				}
			}
		}
	}
	if !builds {
		t.Errorf("build stage %s has no RUN CGO_ENABLED=1 go build ... ./app/forecast", build.image)
	}

	// The runtime stage: the binary from the build stage, a non-root user,
	// forecast as the entrypoint.
	if runtime.image == build.image {
		t.Errorf("the runtime stage uses the build image %s", build.image)
	}
	var copied, user, entrypoint string
	for _, in := range runtime.body {
		switch in.keyword {
		case "COPY":
			if f := strings.Fields(in.args); len(f) == 3 && f[0] == "--from="+build.name {
				copied = f[2]
			}
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			var argv []string
			if err := json.Unmarshal([]byte(in.args), &argv); err != nil || len(argv) == 0 {
				t.Errorf("Dockerfile:%d: ENTRYPOINT %s: want the exec form, a JSON array", in.line, in.args)
			} else {
				entrypoint = argv[0]
			}
		}
	}
	if build.name == "" || copied != "/usr/local/bin/forecast" {
		t.Errorf("runtime stage copies %q from the build stage %q, want /usr/local/bin/forecast from a named stage", copied, build.name)
	}
	if name, _, _ := strings.Cut(user, ":"); name == "" || name == "root" || name == "0" {
		t.Errorf("runtime stage runs as user %q, want a non-root user", user)
	}
	if entrypoint != "forecast" {
		t.Errorf("entrypoint %q, want forecast", entrypoint)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
