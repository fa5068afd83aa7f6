package app

import (
	"slices"
	"testing"
)

func TestFlagsFirst(t *testing.T) {
	cmds := (&App{}).cli().Commands
	for _, tt := range []struct {
		name     string
		in, want []string
	}{
		{"FlagsAfterFile", []string{"fit", "a.csv", "--target", "OT", "-H", "24"}, []string{"fit", "--target", "OT", "-H", "24", "--", "a.csv"}},
		{"EqualsForm", []string{"fit", "a.csv", "--target=OT"}, []string{"fit", "--target=OT", "--", "a.csv"}},
		{"Stdin", []string{"fit", "-", "--target", "y"}, []string{"fit", "--target", "y", "--", "-"}},
		{"Subcommand", []string{"models", "export", "m@2", "-o", "m.json"}, []string{"models", "export", "-o", "m.json", "--", "m@2"}},
		{"DoubleDash", []string{"fit", "--target", "y", "--", "-odd.csv"}, []string{"fit", "--target", "y", "--", "-odd.csv"}},
		{"UnknownCommand", []string{"fitt", "a.csv", "--x"}, []string{"fitt", "a.csv", "--x"}},
		{"NegativeValue", []string{"fit", "a.csv", "--lr", "-1"}, []string{"fit", "--lr", "-1", "--", "a.csv"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := flagsFirst(cmds, tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("flagsFirst(%q)\ngot  %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
