package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// heldOutR writes the held-out series as CSV files; see its header.
//
//go:embed heldout.R
var heldOutR string

// heldOutSeries are series of R's datasets and forecast packages on which
// no default was chosen or tuned: monthly, quarterly and yearly ones,
// seasonal or not, with trends, cycles and noise. They are compared with
// R's forecast package as comparisonSeries are, with R's own frequency as
// the season and the horizon a year or two (six years of yearly series).
var heldOutSeries = []comparison{
	{"nottem", "nottem.csv", "date", "y", 12, 12},
	{"UKDriverDeaths", "UKDriverDeaths.csv", "date", "y", 12, 12},
	{"ldeaths", "ldeaths.csv", "date", "y", 12, 12},
	{"USAccDeaths", "USAccDeaths.csv", "date", "y", 12, 12},
	{"co2", "co2.csv", "date", "y", 12, 12},
	{"wineind", "wineind.csv", "date", "y", 12, 12},
	{"gas", "gas.csv", "date", "y", 12, 12},
	{"Seatbelts front", "Seatbelts_front.csv", "date", "y", 12, 12},
	{"UKgas", "UKgas.csv", "date", "y", 4, 8},
	{"JohnsonJohnson", "JohnsonJohnson.csv", "date", "y", 4, 8},
	{"woolyrnq", "woolyrnq.csv", "date", "y", 4, 8},
	{"austres", "austres.csv", "date", "y", 4, 8},
	{"Nile", "Nile.csv", "date", "y", 1, 6},
	{"lynx", "lynx.csv", "date", "y", 1, 6},
	{"BJsales", "BJsales.csv", "date", "y", 1, 6},
	{"WWWusage", "WWWusage.csv", "date", "y", 1, 6},
	{"LakeHuron", "LakeHuron.csv", "date", "y", 1, 6},
	{"nhtemp", "nhtemp.csv", "date", "y", 1, 6},
	{"sunspot.year", "sunspot_year.csv", "date", "y", 1, 6},
	{"discoveries", "discoveries.csv", "date", "y", 1, 6},
	{"treering", "treering.csv", "date", "y", 1, 6},
}

// compareHeldOut has R write the held-out series and compares the defaults
// with R's forecast package on them (see compareClassical); without R it
// says why and compares nothing, as the series come from R.
func compareHeldOut(ctx context.Context, w io.Writer) error {
	rscript, err := findR()
	if err != nil {
		fmt.Fprintf(w, "left out, the series come from R: %v\n", err)
		return nil
	}
	dir, err := os.MkdirTemp("", "forecast-heldout-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := writeHeldOut(ctx, rscript, dir); err != nil {
		return err
	}
	return compareClassical(ctx, w, dir, heldOutSeries)
}

// writeHeldOut has R (rscript) write the held-out series into dir.
func writeHeldOut(ctx context.Context, rscript, dir string) error {
	script := filepath.Join(dir, "heldout.R")
	if err := os.WriteFile(script, []byte(heldOutR), 0o644); err != nil {
		return err
	}
	if out, err := exec.CommandContext(ctx, rscript, script, dir).CombinedOutput(); err != nil {
		return fmt.Errorf("R could not write the series: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
