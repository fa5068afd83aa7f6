package app

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) accuracyCommand() *cli.Command {
	return &cli.Command{
		Name:  "accuracy",
		Usage: "realised accuracy of stored forecasts against recorded actuals, per model version and series",
		Description: `Scores every stored forecast whose target time has an actual (forecast
actuals) and prints, per model version and series: the forecasts scored, MAE,
MASE (that MAE over the in-sample scale of the version's training data, as
in its test MASE) and the share of actuals inside the forecast intervals
(coverage), over the forecasts that have one. The same numbers are in the
forecast_accuracy view.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Usage: "only this model: NAME (every version), NAME@VERSION or NAME@ALIAS"},
			formatFlag("table, csv or json"),
			dbFlag,
		},
		Action: action(a.accuracy),
	}
}

// accuracyRecord is one row of accuracy --format csv and json; MASE and
// Coverage are null where undefined.
type accuracyRecord struct {
	Model     string   `json:"model"`
	Version   int      `json:"version"`
	Series    string   `json:"series"`
	Forecasts int      `json:"forecasts"`
	MAE       float64  `json:"mae"`
	MASE      *float64 `json:"mase"`
	Intervals int      `json:"intervals"`
	Coverage  *float64 `json:"coverage"`
	First     string   `json:"first_time"`
	Last      string   `json:"last_time"`
}

func (a *App) accuracy(c *cli.Context) error {
	if c.NArg() != 0 {
		return usagef("accuracy takes no arguments (did you mean --model %s?)", c.Args().First())
	}
	format, err := checkFormat(c, "table", "csv", "json")
	if err != nil {
		return err
	}
	var ref store.ModelRef
	if s := c.String("model"); s != "" {
		if ref, err = modelRef(s); err != nil {
			return err
		}
	}
	db, err := openDBForReading(c)
	if err != nil {
		return err
	}
	defer db.Close()
	accs, err := db.FindAccuracy(c.Context, ref)
	if err != nil {
		return storageError{err}
	}
	recs := make([]accuracyRecord, len(accs))
	for i, acc := range accs {
		recs[i] = accuracyRecord{acc.Model, acc.Version, acc.Series, acc.Forecasts, acc.MAE, acc.MASE,
			acc.Intervals, acc.Coverage, rfc3339(acc.First), rfc3339(acc.Last)}
	}
	switch format {
	case "json":
		return writeJSON(a.Stdout, recs)
	case "csv":
		w := csv.NewWriter(a.Stdout)
		w.Write([]string{"model", "version", "series", "forecasts", "mae", "mase", "intervals", "coverage", "first_time", "last_time"})
		for _, r := range recs {
			w.Write([]string{r.Model, strconv.Itoa(r.Version), r.Series, strconv.Itoa(r.Forecasts),
				fullFloat(&r.MAE), fullFloat(r.MASE), strconv.Itoa(r.Intervals), fullFloat(r.Coverage), r.First, r.Last})
		}
		w.Flush()
		return w.Error()
	}
	if len(accs) == 0 {
		fmt.Fprintln(a.Stdout, "no stored forecast has an actual yet: record observed values with forecast actuals")
		return nil
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tVERSION\tSERIES\tFORECASTS\tMAE\tMASE\tCOVERAGE\tFROM\tTO")
	for _, acc := range accs {
		coverage := "-"
		if acc.Coverage != nil {
			coverage = fmt.Sprintf("%.1f%% of %d", 100**acc.Coverage, acc.Intervals)
		}
		mase := "-"
		if acc.MASE != nil {
			mase = fmt.Sprintf("%.4f", *acc.MASE)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%.4f\t%s\t%s\t%s\t%s\n", cell(acc.Model), acc.Version, cell(acc.Series), acc.Forecasts,
			acc.MAE, mase, coverage, formatTime(acc.First), formatTime(acc.Last))
	}
	return tw.Flush()
}

// fullFloat formats *v with full precision, or "" for nil.
func fullFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}
