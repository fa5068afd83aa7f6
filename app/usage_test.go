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
		{[]string{"fit", "data.csv", "--horizn", "3"}, "fit: unknown flag --horizn (did you mean --horizon?)"},
		{[]string{"fit", "--hroizon", "3", "data.csv"}, "fit: unknown flag --hroizon (did you mean --horizon?)"},
		{[]string{"inspect", "data.csv", "--max-fil", "5%"}, "inspect: unknown flag --max-fil (did you mean --max-fill?)"},
		{[]string{"inspect", "data.csv", "--timeformat", "%Y"}, "inspect: unknown flag --timeformat (did you mean --time-format?)"},
		{[]string{"models", "export", "--formt", "json"}, "models export: unknown flag --formt (did you mean --format?)"},
		{[]string{"fit", "--hlep"}, "fit: unknown flag --hlep (did you mean --help?)"},
		{[]string{"--versoin"}, "unknown flag --versoin (did you mean --version?)"},
		{[]string{"fit", "--zzzzzz"}, "fit: unknown flag --zzzzzz"},
		{[]string{"backtest", "data.csv", "--db", "f.db"}, "backtest: unknown flag --db"},
		{[]string{"fit", "data.csv", "-q"}, "fit: unknown flag -q"},
		{[]string{"fit", "data.csv", "--epochs", "many"}, `fit: --epochs "many": want a whole number`},
		{[]string{"fit", "data.csv", "--seed", "abc"}, `fit: --seed "abc": want a whole number, 0 or more`},
		{[]string{"fit", "data.csv", "--seed", "-1"}, `fit: --seed "-1": want a whole number, 0 or more`},
		{[]string{"batch", "jobs.toml", "--wait", "5x"}, `batch: --wait "5x": want a duration such as 30s, 5m or 1h30m`},
		{[]string{"fitt", "data.csv"}, `unknown command "fitt"; the commands are fit, backtest, inspect, predict, actuals, accuracy, models, forecasts, batch, schedule, merge, serve, version (see forecast --help)`},
		{[]string{"models", "lsit"}, `unknown command "models lsit"; the commands of models are list, show, export, import, promote, tag, rm (see forecast models --help)`},
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

// TestHelpCommand: "forecast help [COMMAND…]" is the help of the program or
// of the command, as --help is (urfave/cli said "No help topic for 'help'").
func TestHelpCommand(t *testing.T) {
	for args, want := range map[string]string{"help": "forecast - forecast time series", "help fit": "forecast fit - train a GRU", "help models list": "forecast models list - list the stored"} {
		code, out, errOut := run(t, strings.Fields(args)...)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("forecast %s: exit %d, stdout %q, stderr %q; want 0 and %q", args, code, out, errOut, want)
		}
	}
}
