package app_test

import (
	"strings"
	"testing"
)

// TestMistypedFlag checks that a command line error is one line on
// standard error, with the nearest flag for a slip, and exit code 2.
func TestMistypedFlag(t *testing.T) {
	tests := []struct {
		Args []string
		Want string
	}{
		{[]string{"fit", "data.csv", "--horizn", "3"}, "fit: flag provided but not defined: -horizn (did you mean --horizon?)"},
		{[]string{"fit", "--hroizon", "3", "data.csv"}, "fit: flag provided but not defined: -hroizon (did you mean --horizon?)"},
		{[]string{"inspect", "data.csv", "--max-fil", "5%"}, "inspect: flag provided but not defined: -max-fil (did you mean --max-fill?)"},
		{[]string{"inspect", "data.csv", "--timeformat", "%Y"}, "inspect: flag provided but not defined: -timeformat (did you mean --time-format?)"},
		{[]string{"models", "export", "--formt", "json"}, "models export: flag provided but not defined: -formt (did you mean --format?)"},
		{[]string{"fit", "--hlep"}, "fit: flag provided but not defined: -hlep (did you mean --help?)"},
		{[]string{"--versoin"}, "flag provided but not defined: -versoin (did you mean --version?)"},
		{[]string{"fit", "--zzzzzz"}, "fit: flag provided but not defined: -zzzzzz"},
		{[]string{"fit", "data.csv", "--epochs", "many"}, `fit: invalid value "many" for flag -epochs: parse error`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.Args, " "), func(t *testing.T) {
			code, out, errOut := run(t, tt.Args...)
			if code != 2 || out != "" || errOut != "forecast: "+tt.Want+"\n" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing and %q", code, out, errOut, "forecast: "+tt.Want)
			}
		})
	}
}
