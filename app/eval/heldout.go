package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// seriesR writes the held-out series or the development set as CSV files;
// see its header.
//
//go:embed series.R
var seriesR string

// The sets of series that seriesR writes.
const (
	heldOutSet = "heldout"
	devSet     = "dev"
	freshSet   = "fresh"
)

// freshSeries are a third set, of R's datasets, AER and tseries packages,
// taken after every default was chosen and used to choose none: none is
// in devSeries or heldOutSeries. Series too short for three folds
// (airmiles, uspop), with gaps (presidents, gold) or the same data as
// another set's (MASS's accdeaths, deaths, drivers) are left out; the
// DAX is its last 500 trading days, counted as steps.
var freshSeries = []comparison{
	{"Seatbelts DriversKilled", "Seatbelts_DriversKilled.csv", "date", "y", 12, 12},
	{"Seatbelts VanKilled", "Seatbelts_VanKilled.csv", "date", "y", 12, 12},
	{"PepperPrice white", "PepperPrice_white.csv", "date", "y", 12, 12},
	{"FrozenJuice ppi", "FrozenJuice_ppi.csv", "date", "y", 12, 12},
	{"tcm10y", "tcm10y.csv", "date", "y", 12, 12},
	{"USMacroSWM cpi", "USMacroSWM_cpi.csv", "date", "y", 12, 12},
	{"USMacroSWM expenditure", "USMacroSWM_expenditure.csv", "date", "y", 12, 12},
	{"USMacroG invest", "USMacroG_invest.csv", "date", "y", 4, 8},
	{"USMacroG cpi", "USMacroG_cpi.csv", "date", "y", 4, 8},
	{"USMacroG tbill", "USMacroG_tbill.csv", "date", "y", 4, 8},
	{"USMacroSW ffrate", "USMacroSW_ffrate.csv", "date", "y", 4, 8},
	{"USMacroSW gbpusd", "USMacroSW_gbpusd.csv", "date", "y", 4, 8},
	{"USeconomic rl", "USeconomic_rl.csv", "date", "y", 4, 8},
	{"UKInflation actual", "UKInflation_actual.csv", "date", "y", 4, 8},
	{"OrangeCounty gnp", "OrangeCounty_gnp.csv", "date", "y", 4, 8},
	{"USMacroB mbase", "USMacroB_mbase.csv", "date", "y", 4, 8},
	{"USMoney deflator", "USMoney_deflator.csv", "date", "y", 4, 8},
	{"lh", "lh.csv", "date", "y", 1, 6},
	{"ChinaIncome agriculture", "ChinaIncome_agriculture.csv", "date", "y", 1, 6},
	{"ChinaIncome industry", "ChinaIncome_industry.csv", "date", "y", 1, 6},
	{"TechChange output", "TechChange_output.csv", "date", "y", 1, 6},
	{"USConsump1993 expenditure", "USConsump1993_expenditure.csv", "date", "y", 1, 6},
	{"USGasB gas", "USGasB_gas.csv", "date", "y", 1, 6},
	{"MarkDollar", "MarkDollar.csv", "date", "y", 1, 6},
	{"BJsales.lead", "BJsales_lead.csv", "date", "y", 1, 6},
	{"NelPlo vel", "NelPlo_vel.csv", "date", "y", 1, 6},
	{"EuStockMarkets DAX (last 500)", "EuStockMarkets_DAX.csv", "date", "y", 1, 6},
}

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

// devSeries are the development set: series of R's AER, tseries, MASS and
// datasets packages, monthly, quarterly and yearly, on which the rule that
// leaves the network out of short low-frequency series was chosen (see
// forecast.ClassicalOnly); the held-out series checked it afterwards.
var devSeries = []comparison{
	{"mdeaths", "mdeaths.csv", "date", "y", 12, 12},
	{"fdeaths", "fdeaths.csv", "date", "y", 12, 12},
	{"DutchSales", "DutchSales.csv", "date", "y", 12, 12},
	{"FrozenJuice price", "FrozenJuice_price.csv", "date", "y", 12, 12},
	{"PepperPrice black", "PepperPrice_black.csv", "date", "y", 12, 12},
	{"USMacroSWM production", "USMacroSWM_production.csv", "date", "y", 12, 12},
	{"nino3", "nino3.csv", "date", "y", 12, 12},
	{"tcm1y", "tcm1y.csv", "date", "y", 12, 12},
	{"Seatbelts rear", "Seatbelts_rear.csv", "date", "y", 12, 12},
	{"Seatbelts kms", "Seatbelts_kms.csv", "date", "y", 12, 12},
	{"Seatbelts petrol", "Seatbelts_petrol.csv", "date", "y", 12, 12},
	{"sunspot.month", "sunspot_month.csv", "date", "y", 12, 12},
	{"UKNonDurables", "UKNonDurables.csv", "date", "y", 4, 8},
	{"ArgentinaCPI", "ArgentinaCPI.csv", "date", "y", 4, 8},
	{"USProdIndex", "USProdIndex.csv", "date", "y", 4, 8},
	{"USMacroG gdp", "USMacroG_gdp.csv", "date", "y", 4, 8},
	{"USMacroG unemp", "USMacroG_unemp.csv", "date", "y", 4, 8},
	{"USeconomic rs", "USeconomic_rs.csv", "date", "y", 4, 8},
	{"GermanUnemployment", "GermanUnemployment.csv", "date", "y", 4, 8},
	{"OrangeCounty emp", "OrangeCounty_emp.csv", "date", "y", 4, 8},
	{"USMoney m", "USMoney_m.csv", "date", "y", 4, 8},
	{"NelPlo cpi", "NelPlo_cpi.csv", "date", "y", 1, 6},
	{"NelPlo ip", "NelPlo_ip.csv", "date", "y", 1, 6},
	{"NelPlo gnp.real", "NelPlo_gnpreal.csv", "date", "y", 1, 6},
	{"NelPlo unemp", "NelPlo_unemp.csv", "date", "y", 1, 6},
	{"NelPlo stock", "NelPlo_stock.csv", "date", "y", 1, 6},
	{"NelPlo money", "NelPlo_money.csv", "date", "y", 1, 6},
	{"NelPlo int.rate", "NelPlo_int.csv", "date", "y", 1, 6},
	{"NelPlo real.wages", "NelPlo_realwages.csv", "date", "y", 1, 6},
	{"bev", "bev.csv", "date", "y", 1, 6},
	{"MotorCycles2", "MotorCycles2.csv", "date", "y", 1, 6},
	{"ConsumerGood", "ConsumerGood.csv", "date", "y", 1, 6},
}

// compareFromR has R write a set of series (heldOutSet or devSet) and
// compares the defaults with R's forecast package on the
// series of list (see compareClassical); without R, or without a package
// the script reads, it says why and compares nothing.
func compareFromR(ctx context.Context, w io.Writer, set string, list []comparison) error {
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
	if err := writeFromR(ctx, rscript, seriesR, set, dir); errors.Is(err, errRPackage) {
		fmt.Fprintf(w, "left out: %v\n", err)
		return nil
	} else if err != nil {
		return err
	}
	return compareClassical(ctx, w, dir, list)
}

// errRPackage is the error of a script that misses an R package.
var errRPackage = errors.New("an R package is missing (apt-get install -y r-cran-aer r-cran-tseries)")

// writeFromR has R (rscript) run script, which writes the series of set
// into dir. A script that exits with status 3 misses a package: the error
// wraps errRPackage.
func writeFromR(ctx context.Context, rscript, script, set, dir string) error {
	path := filepath.Join(dir, "series.R")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return err
	}
	out, err := exec.CommandContext(ctx, rscript, path, set, dir).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		return fmt.Errorf("%w: %s", errRPackage, strings.TrimSpace(string(out)))
	case err != nil:
		return fmt.Errorf("R could not write the series: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
