package app

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// flagsFirst reorders a command line so that the flags of the (sub)command
// come before its positional arguments: urfave/cli, like Go's flag package,
// stops reading flags at the first positional argument, but people write
// "forecast fit data.csv --target OT". args excludes the program name. A
// "--" ends the flags as usual.
func flagsFirst(commands []*cli.Command, args []string) []string {
	var out []string
	i := 0
	// Walk down the command names: "models export ...".
	var cmd *cli.Command
	for i < len(args) {
		next := findCommand(commands, args[i])
		if next == nil {
			break
		}
		cmd, commands = next, next.Subcommands
		out = append(out, args[i])
		i++
	}
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, name := range f.Names() {
			takesValue[name] = !isBool
		}
	}
	var positional []string
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		out = append(out, a)
		name := strings.TrimLeft(a, "-")
		if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(args) {
			out = append(out, args[i+1])
			i++
		}
	}
	if len(positional) > 0 && positional[0] != "--" {
		out = append(out, "--")
	}
	return append(out, positional...)
}

// findCommand returns the command called name (or one of its aliases).
func findCommand(commands []*cli.Command, name string) *cli.Command {
	for _, c := range commands {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}
