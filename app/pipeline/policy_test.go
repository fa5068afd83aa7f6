package pipeline_test

import (
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
)

func TestParsePolicy(t *testing.T) {
	for _, c := range []struct {
		in      string
		kind    pipeline.PolicyKind
		maxAge  time.Duration
		maxMASE float64
		text    string
	}{
		{"never", pipeline.Never, 0, 0, "never"},
		{"always", pipeline.Always, 0, 0, "always"},
		{"  always ", pipeline.Always, 0, 0, "always"},
		{"if-older-than 7d", pipeline.IfOlderThan, 7 * 24 * time.Hour, 0, "if-older-than 7d"},
		{"if-older-than   36h", pipeline.IfOlderThan, 36 * time.Hour, 0, "if-older-than 36h"},
		{"if-older-than 90m", pipeline.IfOlderThan, 90 * time.Minute, 0, "if-older-than 90m"},
		{"if-older-than 1ns", pipeline.IfOlderThan, 1, 0, "if-older-than 1ns"},
		{"if-accuracy-worse-than 1.2", pipeline.IfAccuracyWorseThan, 0, 1.2, "if-accuracy-worse-than 1.2"},
		{"if-accuracy-worse-than\t3", pipeline.IfAccuracyWorseThan, 0, 3, "if-accuracy-worse-than 3"},
	} {
		p, err := pipeline.ParsePolicy(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if p.Kind != c.kind || p.MaxAge != c.maxAge || p.MaxMASE != c.maxMASE || p.String() != c.text {
			t.Errorf("%q: got %v (MaxAge %v, MaxMASE %g, %q), want %v (%v, %g, %q)", c.in, p.Kind, p.MaxAge, p.MaxMASE, p.String(), c.kind, c.maxAge, c.maxMASE, c.text)
		}
		if got, want := p.NeedsAccuracy(), c.kind == pipeline.IfAccuracyWorseThan; got != want {
			t.Errorf("%q: NeedsAccuracy=%v, want %v", c.in, got, want)
		}
	}
}

func TestParsePolicyErrors(t *testing.T) {
	for _, in := range []string{
		"", "sometimes", "Never", "never 1", "always now",
		"if-older-than", "if-older-than 0", "if-older-than 0d", "if-older-than -1h", "if-older-than 7",
		"if-older-than 1.5d", "if-older-than 7 d", "if-older-than 1w", "if-older-than 999999999d",
		"if-accuracy-worse-than", "if-accuracy-worse-than 0", "if-accuracy-worse-than -1",
		"if-accuracy-worse-than x", "if-accuracy-worse-than NaN", "if-accuracy-worse-than Inf",
		"if-accuracy-worse-than 1 2",
	} {
		p, err := pipeline.ParsePolicy(in)
		if err == nil {
			t.Errorf("%q: no error, got %v", in, p)
			continue
		}
		want := `refit "` + in + `": want always, never, if-older-than DURATION (e.g. 24h, 7d) or if-accuracy-worse-than MASE (e.g. 1.2)`
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: error %q, want %q", in, err, want)
		}
	}
}

// TestPolicyString checks that a policy built in code prints in the syntax
// ParsePolicy reads, and reads back the same.
func TestPolicyString(t *testing.T) {
	for _, p := range []pipeline.Policy{
		{},
		{Kind: pipeline.Always},
		{Kind: pipeline.IfOlderThan, MaxAge: 36 * time.Hour},
		{Kind: pipeline.IfAccuracyWorseThan, MaxMASE: 1.25},
	} {
		back, err := pipeline.ParsePolicy(p.String())
		if err != nil {
			t.Errorf("%v: %v", p, err)
			continue
		}
		if back.Kind != p.Kind || back.MaxAge != p.MaxAge || back.MaxMASE != p.MaxMASE {
			t.Errorf("%v reads back as %v", p, back)
		}
	}
	if got, want := (pipeline.Policy{}).String(), "never"; got != want {
		t.Errorf("the zero Policy is %q, want %q", got, want)
	}
}

func TestParseShard(t *testing.T) {
	for _, c := range []struct {
		in            string
		shard, shards int
	}{{"0/1", 0, 1}, {"3/4", 3, 4}, {"0/16", 0, 16}} {
		i, n, err := pipeline.ParseShard(c.in)
		if err != nil || i != c.shard || n != c.shards {
			t.Errorf("ParseShard(%q) = %d, %d, %v; want %d, %d", c.in, i, n, err, c.shard, c.shards)
		}
	}
	for _, bad := range []string{"", "1", "4/4", "-1/4", "1/0", "a/b", "1/2/3"} {
		if _, _, err := pipeline.ParseShard(bad); err == nil || !strings.Contains(err.Error(), "want I/N") {
			t.Errorf("ParseShard(%q): error %v, want one saying what a shard is", bad, err)
		}
	}
}
