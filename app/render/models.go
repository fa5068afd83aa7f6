package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/store"
)

// modelSummary is one model version in models list --format json and models
// show --format json. Params and Metrics are the stored JSON documents.
type modelSummary struct {
	Model          string            `json:"model"`
	Version        int               `json:"version"`
	Aliases        []string          `json:"aliases"`
	Tags           map[string]string `json:"tags"`
	CreatedAt      jsonTime          `json:"created_at"`
	RunID          int64             `json:"run_id"`
	ProgramVersion string            `json:"program_version"`
	DurationSec    float64           `json:"duration_seconds"`
	Parent         string            `json:"parent"`
	Source         string            `json:"data_source"`
	Series         string            `json:"data_series"`
	Start          jsonTime          `json:"data_start"`
	End            jsonTime          `json:"data_end"`
	Freq           string            `json:"data_freq"`
	Rows           int               `json:"data_rows"`
	Fingerprint    string            `json:"data_fingerprint"`
	Seed           uint64            `json:"seed"`
	MASEScale      float64           `json:"mase_scale"`
	// TestMASE is the test MASE of the version's forecast, as models
	// list shows it; null without a test part.
	TestMASE  *float64 `json:"test_mase"`
	Forecasts int      `json:"forecasts"`
	// Unfinished marks a version of a batch that has not finished
	// (running, or killed): not its model's newest.
	Unfinished bool            `json:"unfinished,omitempty"`
	Params     json.RawMessage `json:"params,omitempty"`
	Scaler     json.RawMessage `json:"scaler,omitempty"`
	Metrics    json.RawMessage `json:"metrics,omitempty"`
}

// summarize is mv as models list writes it in JSON, or with full as
// models show does: with its params, scaler and metrics documents.
func summarize(mv *store.ModelVersion, full bool) modelSummary {
	s := modelSummary{
		Model: mv.Name, Version: mv.Version, Aliases: mv.Aliases, Tags: mv.Tags,
		CreatedAt: rfc3339(mv.CreatedAt), RunID: mv.RunID, ProgramVersion: mv.ProgramVersion,
		DurationSec: mv.Duration.Seconds(), Parent: mv.Parent,
		Source: mv.DataSource, Series: mv.DataSeries, Start: rfc3339(mv.DataStart), End: rfc3339(mv.DataEnd),
		Freq: mv.DataFreq, Rows: mv.DataRows, Fingerprint: mv.DataFingerprint,
		Seed: mv.Seed, MASEScale: mv.MASEScale, Forecasts: mv.Forecasts, Unfinished: mv.Unfinished,
	}
	if m, err := forecast.ParseReport(mv.Metrics); err == nil {
		if v, ok := m.TestMASE(); ok {
			s.TestMASE = &v
		}
	}
	if s.Aliases == nil {
		s.Aliases = []string{}
	}
	if s.Tags == nil {
		s.Tags = map[string]string{}
	}
	if full {
		for _, f := range []struct {
			dst *json.RawMessage
			src string
		}{{&s.Params, mv.Params}, {&s.Scaler, mv.Scaler}, {&s.Metrics, mv.Metrics}} {
			if json.Valid([]byte(f.src)) {
				*f.dst = json.RawMessage(f.src)
			}
		}
	}
	return s
}

// ModelList writes model versions as models list does: a table, or
// with format "json" their summaries.
func ModelList(w io.Writer, format string, mvs []*store.ModelVersion) error {
	if format == "json" {
		out := make([]modelSummary, len(mvs))
		for i, mv := range mvs {
			out[i] = summarize(mv, false)
		}
		return JSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tVERSION\tALIASES\tCREATED\tROWS\tTEST MASE\tFORECASTS\tSOURCE")
	unfinished := false
	for _, mv := range mvs {
		version := strconv.Itoa(mv.Version)
		if mv.Unfinished {
			version += "*"
			unfinished = true
		}
		mase := "-"
		if m, err := forecast.ParseReport(mv.Metrics); err == nil {
			if v, ok := m.TestMASE(); ok {
				mase = fmt.Sprintf("%.4f", v)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n", cell(mv.Name), version, orDash(strings.Join(mv.Aliases, ",")),
			mv.CreatedAt.Format("2006-01-02 15:04:05"), mv.DataRows, mase, mv.Forecasts, cell(mv.DataSource))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if unfinished {
		_, err := fmt.Fprintln(w, "* of a batch that has not finished (running, or killed): not the model's newest, so NAME does not mean it")
		return err
	}
	return nil
}

// Model prints a model version for people.
func Model(w io.Writer, mv *store.ModelVersion) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-10s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("model", "%s", mv.Ref())
	line("aliases", "%s", orDash(strings.Join(mv.Aliases, ", ")))
	line("tags", "%s", TagList(mv.Tags))
	unfinished := ""
	if mv.Unfinished {
		unfinished = "; that batch has not finished (running, or killed): not the model's newest"
	}
	line("created", "%s by run %d, forecast %s%s", mv.CreatedAt.Format("2006-01-02 15:04:05 MST"), mv.RunID, orDash(mv.ProgramVersion), unfinished)
	line("parent", "%s", orDash(mv.Parent))
	span := "no time column"
	if !mv.DataEnd.IsZero() {
		span = fmt.Sprintf("%s, %s to %s", orDash(mv.DataFreq), orDash(formatTime(mv.DataStart)), formatTime(mv.DataEnd))
	}
	series := "series " + orDash(mv.DataSeries)
	if strings.HasSuffix(mv.DataSeries, " series") { // a global model's "4 series"
		series = mv.DataSeries
	}
	line("data", "%s, %s, %d rows, %s", mv.DataSource, series, mv.DataRows, span)
	line("sha256", "%s", mv.DataFingerprint)

	p, err := forecast.ParseParams(mv.Params)
	switch {
	case err == nil && p.ClassicalOnly:
		line("params", "target %s, horizon %d, season %d, protocol %s; no network: the classical methods alone forecast the series",
			p.Target, p.Horizon, p.Season, p.SplitProtocol())
	case err == nil && mv.Params != "":
		line("params", "target %s%s, lookback %d, horizon %d, layers %d, hidden %d, epochs %d, patience %d, batch %d, lr %v, clip %v, season %d, seed %d, protocol %s%s",
			p.Target, covariates(p), p.Lookback, p.Horizon, p.Layers, p.Hidden, p.Epochs, p.Patience, p.Batch, p.LR, p.Clip, p.Season, p.Seed, p.SplitProtocol(), choices(p))
	}
	m, err := forecast.ParseReport(mv.Metrics)
	if err != nil {
		m = forecast.Report{}
	}
	switch {
	case p.MethodName != "" && len(m.Candidates) == 0 && p.ClassicalOnly:
		line("forecast", "by %s, which forecasts the series exactly: it repeats itself every season, so nothing was validated", p.MethodName)
	case p.MethodName != "":
		line("forecast", "by %s, chosen on validation%s", p.MethodName, seriesMethods(m, p))
	}
	if z, err := forecast.ParseZScore(mv.Scaler); err == nil && mv.Scaler != "" {
		of := ""
		if p.Series > 1 && p.ScalesPerSeries() {
			of = " (of the first series; each is scaled by its own history)"
		}
		line("scaler", "z-score, mean %.6g, std %.6g%s", z.Mean, z.Std, of)
	}
	if len(m.History) == 0 {
		if m.Windows["test"] > 0 {
			testHeading(w, m, p, mv)
			printScoreTable(w, m.Test, true)
		}
		line("forecasts", "%d stored", mv.Forecasts)
		return
	}
	line("training", "%s, best epoch %d (validation MSE %.5f); fit in %.1fs", Plural(m.Epochs, "epoch"), m.BestEpoch, m.ValLoss, mv.Duration.Seconds())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "epoch\ttrain MSE\tval MSE\t\t")
	// The first and last three epochs and the best one; "..." for the rest.
	n := len(m.History)
	for i, h := range m.History {
		mark := ""
		switch {
		case h.Epoch == m.BestEpoch:
			mark = "*"
		case i >= 3 && i < n-3:
			if i == 3 || m.History[i-1].Epoch == m.BestEpoch {
				fmt.Fprintln(tw, "...\t\t\t\t")
			}
			continue
		}
		fmt.Fprintf(tw, "%d\t%.5f\t%.5f\t%s\t\n", h.Epoch, h.TrainLoss, h.ValLoss, mark)
	}
	tw.Flush()
	if m.Windows["test"] > 0 {
		testHeading(w, m, p, mv)
		printScoreTable(w, m.Test, true)
	} else {
		line("test", "none: the series was too short to keep a horizon apart for a test beside the validation")
	}
	line("forecasts", "%d stored", mv.Forecasts)
}

// testHeading heads the test metrics of mv, with report m and params p:
// of one series, its windows and MASE scale; of several, that they are
// the mean of each series' (see forecast.Result's Test), each scaled by
// its own.
func testHeading(w io.Writer, m forecast.Report, p forecast.Params, mv *store.ModelVersion) {
	if p.Series > 1 {
		fmt.Fprintf(w, "test metrics, the mean over the series of each one's windows (MASE with season %d, each series' own scale):\n", p.Season)
		return
	}
	fmt.Fprintf(w, "test metrics over %d windows (MASE with season %d, scale %.6g):\n", m.Windows["test"], p.Season, mv.MASEScale)
}

// seriesMethods says, for a model of several series (params p), that the
// method named is the first series' and how many each method forecasts
// by its report m; "" for one series.
func seriesMethods(m forecast.Report, p forecast.Params) string {
	switch {
	case len(m.Methods) >= 2:
		return " (the first series; of all: " + methodCounts(m.Methods) + ")"
	case p.Series > 1:
		return fmt.Sprintf(" (as fitted to the first series; each of the %d has its own fit)", p.Series)
	}
	return ""
}

// TrainedOn describes the training data of a model version in a few words.
func TrainedOn(mv *store.ModelVersion) string {
	s := fmt.Sprintf("%s (%d rows", mv.DataSeries, mv.DataRows)
	if !mv.DataEnd.IsZero() {
		s += fmt.Sprintf(", %s, to %s", orDash(mv.DataFreq), formatTime(mv.DataEnd))
	}
	return s + ")"
}

// ModelJSON writes model version mv as models show --format json does:
// its summary with its params, scaler and metrics documents.
func ModelJSON(w io.Writer, mv *store.ModelVersion) error {
	return JSON(w, summarize(mv, true))
}

// choices lists the settings of p that a refit inherits besides the
// network's shape and training: window normalisation, transform,
// ensemble size, fallback, calendar features and interval levels, each
// where the stored document has it.
func choices(p forecast.Params) string {
	var out []string
	if p.Stored("window_norm") {
		out = append(out, "window norm "+string(p.WindowNorm))
	}
	if p.Stored("transform") {
		out = append(out, "transform "+string(p.Transform))
	}
	if p.Stored("ensemble") {
		out = append(out, fmt.Sprintf("ensemble %d", p.Ensemble))
	}
	if p.Stored("fallback") {
		out = append(out, "fallback "+string(p.Fallback))
	}
	if p.Calendar {
		out = append(out, "calendar")
	}
	if p.Stored("level") {
		out = append(out, "levels "+orDash(p.Level))
	}
	if len(out) == 0 {
		return ""
	}
	return ", " + strings.Join(out, ", ")
}

// covariates lists the covariates the network of p reads besides its
// target, as ", covariates a, b"; "" for none.
func covariates(p forecast.Params) string {
	covs := p.Covariates()
	if len(covs) == 0 {
		return ""
	}
	return ", covariates " + strings.Join(covs, ", ")
}
