package pipeline

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// PolicyKind names a refit policy.
type PolicyKind int

// The refit policies. The zero value, Never, is the default of a job.
const (
	Never               PolicyKind = iota // reuse the stored version; fit only when there is none
	Always                                // fit a new version on every run
	IfOlderThan                           // fit when the stored version is older than MaxAge
	IfAccuracyWorseThan                   // fit when the realised MASE is worse than MaxMASE
)

// String returns the keyword of k in a jobs file.
func (k PolicyKind) String() string {
	switch k {
	case Never:
		return "never"
	case Always:
		return "always"
	case IfOlderThan:
		return "if-older-than"
	case IfAccuracyWorseThan:
		return "if-accuracy-worse-than"
	}
	return fmt.Sprintf("PolicyKind(%d)", int(k))
}

// Policy says when a job trains a new model version. The zero value is
// Never.
type Policy struct {
	Kind    PolicyKind
	MaxAge  time.Duration // IfOlderThan: the age past which to refit, more than 0
	MaxMASE float64       // IfAccuracyWorseThan: the realised MASE past which to refit, more than 0

	text string // as written, e.g. "if-older-than 7d"; empty for a Policy built in code
}

// String returns the policy as the jobs file wrote it (with its spaces
// collapsed), or, for a Policy built in code, in the jobs-file syntax.
func (p Policy) String() string {
	switch {
	case p.text != "":
		return p.text
	case p.Kind == IfOlderThan:
		return fmt.Sprintf("%s %s", p.Kind, p.MaxAge)
	case p.Kind == IfAccuracyWorseThan:
		return fmt.Sprintf("%s %g", p.Kind, p.MaxMASE)
	}
	return p.Kind.String()
}

// NeedsAccuracy says whether Decide reads the realised accuracy under p,
// so that a caller gathers it only then.
func (p Policy) NeedsAccuracy() bool { return p.Kind == IfAccuracyWorseThan }

// ParsePolicy reads a refit policy as a jobs file writes it: always, never,
// if-older-than DURATION (a Go duration such as 36h, or whole days such as
// 7d) or if-accuracy-worse-than MASE (the mean realised MASE, e.g. 1.2).
func ParsePolicy(s string) (Policy, error) {
	text := strings.Join(strings.Fields(s), " ")
	kind, arg, _ := strings.Cut(text, " ")
	switch kind {
	case "always", "never":
		if arg == "" {
			k := Never
			if kind == "always" {
				k = Always
			}
			return Policy{Kind: k, text: text}, nil
		}
	case "if-older-than":
		d, err := parseAge(arg)
		if err == nil && d > 0 {
			return Policy{Kind: IfOlderThan, MaxAge: d, text: text}, nil
		}
	case "if-accuracy-worse-than":
		x, err := strconv.ParseFloat(arg, 64)
		if err == nil && x > 0 && !math.IsInf(x, 1) {
			return Policy{Kind: IfAccuracyWorseThan, MaxMASE: x, text: text}, nil
		}
	}
	return Policy{}, fmt.Errorf("refit %q: want always, never, if-older-than DURATION (e.g. 24h, 7d) or if-accuracy-worse-than MASE (e.g. 1.2)", s)
}

// parseAge reads a duration: a Go duration (90m, 24h) or whole days (7d).
func parseAge(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, err
		}
		if n > int(maxDuration/(24*time.Hour)) {
			return 0, fmt.Errorf("%s: too long", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

const maxDuration = time.Duration(1<<63 - 1)
