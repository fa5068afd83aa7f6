package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	gonumplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Plot is what a plot shows: the tail of a series, forecasts with their
// widest bounded interval and, for backtests, the values they forecast.
type Plot struct {
	title     string
	series    *ingest.Series
	from, to  int // the indices of the series drawn: [from, to); to 0 means to the end
	forecasts []plottedForecast
}

// plottedForecast is one forecast drawn from origin: the index of its first
// value in the series (or len(series) for the future).
type plottedForecast struct {
	origin int
	points []forecast.Point
}

var (
	historyColor  = color.NRGBA{R: 60, G: 60, B: 60, A: 255}
	forecastColor = color.NRGBA{R: 214, G: 39, B: 40, A: 255}
	bandColor     = color.NRGBA{R: 214, G: 39, B: 40, A: 60}
)

// x is the horizontal position of step i of s: Unix seconds, or i itself
// without times. Forecast steps past the end are dated with the frequency.
func (fp *Plot) x(i int) float64 {
	s := fp.series
	switch {
	case !s.Timed():
		return float64(i)
	case i < s.Len():
		return float64(s.Time(i).Unix())
	}
	return float64(s.Freq.Add(s.Time(s.Len()-1), i-s.Len()+1).Unix())
}

// CheckFile rejects a file to draw to of a type that cannot be drawn, or in
// a folder that does not exist, so that a command can refuse it before any
// work is done.
func CheckFile(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".svg", ".pdf":
	default:
		return errors.New("the file must end in .png, .svg or .pdf")
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil {
		return err
	} else if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", filepath.Dir(path))
	}
	return nil
}

// Save draws the plot to path; its extension picks the format.
func (fp *Plot) Save(path string) error {
	p := gonumplot.New()
	p.Title.Text = fp.title
	p.Y.Label.Text = fp.series.Name
	to := fp.to
	if to == 0 {
		to = fp.series.Len()
	}
	if fp.series.Timed() {
		last := to - 1
		for _, f := range fp.forecasts {
			last = max(last, f.origin+len(f.points)-1)
		}
		span := time.Duration(fp.x(last)-fp.x(fp.from)) * time.Second
		p.X.Tick.Marker = gonumplot.TimeTicks{Format: timeTickFormat(span)}
	} else {
		p.X.Label.Text = "step"
	}
	hist := make(plotter.XYs, 0, to-fp.from)
	for i := fp.from; i < to; i++ {
		hist = append(hist, plotter.XY{X: fp.x(i), Y: fp.series.Value(i)})
	}
	line, err := plotter.NewLine(hist)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	line.Color = historyColor
	p.Add(line)
	p.Legend.Add("observed", line)

	var bandShown, lineShown bool
	for _, f := range fp.forecasts {
		pts := make(plotter.XYs, len(f.points))
		var upper, lower plotter.XYs
		level := 0.0
		for k, pt := range f.points {
			x := fp.x(f.origin + k)
			pts[k] = plotter.XY{X: x, Y: pt.Value}
			if iv, ok := widestBounded(pt.Intervals); ok {
				upper = append(upper, plotter.XY{X: x, Y: iv.Upper})
				lower = append(lower, plotter.XY{X: x, Y: iv.Lower})
				level = iv.Level
			}
		}
		if len(upper) == len(pts) && len(pts) > 1 {
			ring := append(upper, reversed(lower)...)
			band, err := plotter.NewPolygon(ring)
			if err != nil {
				return fmt.Errorf("plot: %w", err)
			}
			band.Color, band.LineStyle.Width = bandColor, 0
			p.Add(band)
			if !bandShown {
				p.Legend.Add(fmt.Sprintf("%g%% interval", 100*level), band)
				bandShown = true
			}
		}
		fl, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("plot: %w", err)
		}
		fl.Color, fl.Width = forecastColor, vg.Points(1.5)
		p.Add(fl)
		if !lineShown {
			p.Legend.Add("forecast", fl)
			lineShown = true
		}
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())
	if err := p.Save(10*vg.Inch, 4*vg.Inch, path); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}

// widestBounded returns the bounded interval of the highest level.
func widestBounded(ivs []forecast.Interval) (forecast.Interval, bool) {
	var best forecast.Interval
	found := false
	for _, iv := range ivs {
		if !math.IsInf(iv.Lower, 0) && !math.IsInf(iv.Upper, 0) && (!found || iv.Level > best.Level) {
			best, found = iv, true
		}
	}
	return best, found
}

func reversed(xys plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xys))
	for i, xy := range xys {
		out[len(xys)-1-i] = xy
	}
	return out
}

// timeTickFormat labels the time ticks of a plot spanning span: months
// over a long span, days over a few days, hours below.
func timeTickFormat(span time.Duration) string {
	switch {
	case span > 90*24*time.Hour:
		return "2006-01"
	case span > 3*24*time.Hour:
		return "Jan 2"
	}
	return "Jan 2 15:04"
}

// Future shows the forecast pts after the last value of s with a few
// lookbacks of history before it.
func Future(title string, s *ingest.Series, lookback int, pts []forecast.Point) *Plot {
	n := s.Len()
	from := max(0, n-max(3*lookback, 5*len(pts)))
	return &Plot{title: title, series: s, from: from, forecasts: []plottedForecast{{origin: n, points: pts}}}
}

// MaxFolds is how many folds a backtest plot draws at most.
const MaxFolds = 6

// Backtest shows up to MaxFolds folds of the first series of folds, s,
// evenly spread and the last one included, with the values they forecast.
func Backtest(title string, s *ingest.Series, lookback int, folds []forecast.Fold) *Plot {
	var mine []forecast.Fold
	for _, f := range folds {
		if f.Series == folds[0].Series {
			mine = append(mine, f)
		}
	}
	if len(mine) > MaxFolds {
		// Evenly spread over the folds, the last one included.
		step := float64(len(mine)-1) / float64(MaxFolds-1)
		picked := make([]forecast.Fold, MaxFolds)
		for i := range picked {
			picked[i] = mine[int(math.Round(float64(i)*step))]
		}
		mine = picked
	}
	last := mine[len(mine)-1]
	fp := &Plot{title: title, series: s, from: max(0, mine[0].Origin-2*lookback),
		to: min(s.Len(), last.Origin+len(last.Forecast)+lookback/2)}
	for _, f := range mine {
		fp.forecasts = append(fp.forecasts, plottedForecast{origin: f.Origin, points: f.Forecast})
	}
	return fp
}
