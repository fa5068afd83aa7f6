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
	return checkWritable(path)
}

// checkWritable returns an error if path cannot be written: a file there
// that is not writable, or a folder that no file can be made in. It
// writes nothing.
func checkWritable(path string) error {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s is a folder", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		return f.Close()
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".forecast-check-*")
	if err != nil {
		return fmt.Errorf("cannot write in folder %s: %w", filepath.Dir(path), err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
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
		p.X.Tick.Marker = calendarTicks{}
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
	// A margin above and below, so that no line or band runs along the
	// frame.
	margin := (p.Y.Max - p.Y.Min) / 25
	p.Y.Min, p.Y.Max = p.Y.Min-margin, p.Y.Max+margin
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

// calendarStep is a spacing of time ticks: n units, labelled with a
// time layout.
type calendarStep struct {
	unit   string // "minute", "hour", "day", "month" or "year"
	n      int
	layout string
}

// calendarSteps are the spacings calendarTicks chooses from, finest first.
var calendarSteps = []calendarStep{
	{"minute", 1, "15:04"}, {"minute", 5, "15:04"}, {"minute", 15, "15:04"}, {"minute", 30, "15:04"},
	{"hour", 1, "01-02 15:04"}, {"hour", 3, "01-02 15:04"}, {"hour", 6, "01-02 15:04"}, {"hour", 12, "01-02 15:04"},
	{"day", 1, "2006-01-02"}, {"day", 2, "2006-01-02"}, {"day", 7, "2006-01-02"}, {"day", 14, "2006-01-02"},
	{"month", 1, "2006-01"}, {"month", 2, "2006-01"}, {"month", 3, "2006-01"}, {"month", 6, "2006-01"},
	{"year", 1, "2006"}, {"year", 2, "2006"}, {"year", 5, "2006"}, {"year", 10, "2006"}, {"year", 20, "2006"},
	{"year", 50, "2006"}, {"year", 100, "2006"}, {"year", 200, "2006"}, {"year", 500, "2006"}, {"year", 1000, "2006"},
}

// maxTimeTicks is how many labelled ticks a time axis has at most.
const maxTimeTicks = 8

// calendarTicks marks a time axis in Unix seconds at the starts of
// calendar units (years, months, days, hours, in UTC), a round number of
// them apart, the finest spacing that labels at most maxTimeTicks: gonum's
// TimeTicks spaces ticks by round numbers of seconds, which fall on no
// particular date (1950-12, 1957-04, one unlabelled between).
type calendarTicks struct{}

// Ticks returns the ticks between min and max: at least two, or gonum's
// where no spacing gives two (a span of under two minutes).
func (calendarTicks) Ticks(min, max float64) []gonumplot.Tick {
	lo, hi := time.Unix(int64(math.Ceil(min)), 0).UTC(), time.Unix(int64(math.Floor(max)), 0).UTC()
	for _, st := range calendarSteps {
		var ticks []gonumplot.Tick
		for t := st.first(lo); !t.After(hi); t = st.next(t) {
			if len(ticks) == maxTimeTicks {
				ticks = nil
				break
			}
			ticks = append(ticks, gonumplot.Tick{Value: float64(t.Unix()), Label: t.Format(st.layout)})
		}
		if len(ticks) >= 2 {
			return ticks
		}
	}
	return gonumplot.TimeTicks{Format: "15:04:05"}.Ticks(min, max)
}

// first returns the first tick at or after t: the start of a unit whose
// number (minute of the hour, hour of the day, day since 1970, month of
// the year, year) is a multiple of n; for weeks, a Monday.
func (st calendarStep) first(t time.Time) time.Time {
	y, m, d := t.Date()
	var start time.Time
	switch st.unit {
	case "minute":
		start = time.Date(y, m, d, t.Hour(), t.Minute()/st.n*st.n, 0, 0, time.UTC)
	case "hour":
		start = time.Date(y, m, d, t.Hour()/st.n*st.n, 0, 0, 0, time.UTC)
	case "day":
		// Weeks start on Mondays: 1970-01-05, day 4.
		days, monday := int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400), 0
		if st.n%7 == 0 {
			monday = 4
		}
		start = time.Unix(int64(days-mod(days-monday, st.n))*86400, 0).UTC()
	case "month":
		start = time.Date(y, time.Month(int(m-1)/st.n*st.n+1), 1, 0, 0, 0, 0, time.UTC)
	default:
		start = time.Date(y-mod(y, st.n), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	for start.Before(t) {
		start = st.next(start)
	}
	return start
}

// next returns the tick after t.
func (st calendarStep) next(t time.Time) time.Time {
	switch st.unit {
	case "minute":
		return t.Add(time.Duration(st.n) * time.Minute)
	case "hour":
		return t.Add(time.Duration(st.n) * time.Hour)
	case "day":
		return t.AddDate(0, 0, st.n)
	case "month":
		return t.AddDate(0, st.n, 0)
	}
	return t.AddDate(st.n, 0, 0)
}

// mod is a mod n, from 0 to n−1 for negative a too.
func mod(a, n int) int {
	return ((a % n) + n) % n
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
