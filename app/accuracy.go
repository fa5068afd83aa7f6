package app

import (
	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) accuracyCommand() *cli.Command {
	return &cli.Command{
		Name:  "accuracy",
		Usage: "realised accuracy of stored forecasts against recorded actuals, per model version and series",
		Description: `Scores every stored forecast whose target time has an actual (forecast
actuals) and prints, per model version and series: the forecasts scored, MAE,
MASE (each error over its forecast's scale: the mean absolute seasonal
difference, of the version's season, of the values it was forecast from;
older forecasts, stored without one, the version's training data's) and the share of actuals inside the forecast intervals
(coverage_80, coverage_95: of the 80 % and 95 % intervals), over the
forecasts that have one. The same numbers are in the
forecast_accuracy view.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Usage: "only this model: NAME (every version), NAME@VERSION or NAME@ALIAS"},
			formatFlag("table, csv or json"),
			dbFlag,
		},
		Action: action(a.accuracy),
	}
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
	var hasActuals bool
	if len(accs) == 0 {
		if hasActuals, err = db.HasActuals(c.Context); err != nil {
			return storageError{err}
		}
	}
	return render.Accuracy(a.Stdout, format, accs, hasActuals)
}
