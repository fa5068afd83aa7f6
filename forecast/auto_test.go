package forecast

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// seasonal returns n values of a positive series with a season of m steps
// and the frequency f, dated from 2000-01-01.
func seasonal(n, m int, f ingest.Freq) *ingest.Series {
	var times []time.Time
	var values []float64
	t := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		times = append(times, f.Add(t, i))
		values = append(values, 100+0.5*float64(i)+20*math.Sin(2*math.Pi*float64(i)/float64(m))+3*math.Sin(float64(i)*1.3))
	}
	s := ingest.NewSeries("y", times, values)
	s.Freq = f
	return s
}

// spiked returns s with its value at i multiplied by times.
func spiked(s *ingest.Series, i int, times float64) *ingest.Series {
	v := s.Values()
	v[i] *= times
	c := ingest.NewSeries(s.ID, s.Times(), v)
	c.Freq = s.Freq
	return c
}

// noSeason returns n values of a trend with noise (a fixed pseudo-random
// sequence) and the frequency f, dated from 2000-01-01.
func noSeason(n int, f ingest.Freq) *ingest.Series {
	rng := rand.New(rand.NewPCG(1, 2))
	var times []time.Time
	var values []float64
	t := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		times = append(times, f.Add(t, i))
		values = append(values, 100+0.5*float64(i)+5*rng.NormFloat64())
	}
	s := ingest.NewSeries("y", times, values)
	s.Freq = f
	return s
}

func TestResolve(t *testing.T) {
	monthly, hourly := ingest.Freq{Months: 1}, ingest.Freq{Step: time.Hour}
	for _, tt := range []struct {
		name                 string
		s                    *ingest.Series
		cfg                  Config
		season, lookback, en int
	}{
		// Three seasons; 144 values leave 100 to train on: small data.
		{"Monthly", seasonal(144, 12, monthly), Config{Horizon: 12}, 12, 36, 3},
		// Two horizons, longer than three seasons of 4, cut to what the
		// train part of 144 − 24 − 30 values affords: (90 − 24 + 1)/2.
		{"MonthlyLongHorizon", seasonal(144, 12, monthly), Config{Horizon: 24, Season: 4}, 4, 33, 3},
		// 2000 hourly values: three days, and too many windows for an ensemble.
		{"Hourly", seasonal(2000, 24, hourly), Config{Horizon: 24}, 24, 72, 1},
		// 40 values keep 16 to train on: the lookback is cut to (16 − 12 + 1)/2;
		// the 28 before the test part are too few for the autocorrelation to
		// confirm the season, but its strength does (see AutoSeason).
		{"Short", seasonal(40, 12, monthly), Config{Horizon: 12}, 12, 2, 3},
		{"MonthlyNoSeason", noSeason(144, monthly), Config{Horizon: 12}, 1, 24, 3},
		// Two days of a strong daily season with a horizon of a day: the
		// train part, a day, holds no season to scale errors by; the
		// classical methods alone forecast it (lookback and ensemble 0).
		{"SeasonOverTrain", seasonal(48, 24, hourly), Config{Horizon: 24}, 1, 0, 0},
		// What is given stays.
		{"Given", seasonal(144, 12, monthly), Config{Horizon: 12, Season: 3, Lookback: 10, Ensemble: 2}, 3, 10, 2},
	} {
		got, err := tt.cfg.Resolve([]*ingest.Series{tt.s})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got.Season != tt.season || got.Lookback != tt.lookback || got.Ensemble != tt.en {
			t.Errorf("%s: season %d, lookback %d, ensemble %d; want %d, %d, %d", tt.name, got.Season, got.Lookback, got.Ensemble, tt.season, tt.lookback, tt.en)
		}
	}
	// 24 values with horizon 12 leave no train window before a horizon of
	// validation: the classical methods alone forecast one such series,
	// unless the fallback keeps them out or the series are several.
	short := seasonal(24, 12, monthly)
	if got, err := (Config{Horizon: 12}).Resolve([]*ingest.Series{short}); err != nil || !got.tooShortForNetwork(24) || got.Lookback != 0 {
		t.Errorf("24 values with horizon 12: %v, too short for the network %v, lookback %d; want no error, true, 0", err, got.tooShortForNetwork(24), got.Lookback)
	}
	if _, err := (Config{Horizon: 12, Fallback: FallbackNone}).Resolve([]*ingest.Series{short}); err == nil {
		t.Error("24 values with horizon 12, fallback none: no error, want too few for a train part")
	}
	if _, err := (Config{Horizon: 12}).Resolve([]*ingest.Series{short, short}); err == nil {
		t.Error("two series of 24 values with horizon 12: no error, want too few for a train part")
	}
	if _, err := (Config{Horizon: 4, Season: 4}).Resolve([]*ingest.Series{seasonal(7, 4, monthly)}); err == nil {
		t.Error("7 values with season 4 and horizon 4: no error, want too few (two seasons are needed)")
	}
	// A horizon longer than the series leaves no train part at all: an
	// error, not a slice out of range.
	if _, err := (Config{Horizon: 24}).Resolve([]*ingest.Series{seasonal(10, 4, ingest.Freq{Months: 3})}); !errors.Is(err, ErrInvalid) {
		t.Errorf("10 values with horizon 24: %v, want an error wrapping ErrInvalid", err)
	}
}

// TestAutoSeason: the calendar season of a smooth seasonal series, which
// the autocorrelation test misses before the test part of a fit (42 of 60
// monthly values, 60 of 200 weekly ones), is confirmed by its strength; a
// series without a season keeps none, and a frequency without a calendar
// season gives the one the autocorrelation finds. One value eight times
// too large hides a season from both tests, which find it again in the
// values without it, and does not give a season to a series without one.
func TestAutoSeason(t *testing.T) {
	week := ingest.Freq{Step: 7 * 24 * time.Hour}
	for _, tt := range []struct {
		name   string
		s      *ingest.Series
		n      int // values before the test part
		acf, m int // the season of ingest.AutoSeason, and AutoSeason's
	}{
		{"MonthlySine", seasonal(60, 12, ingest.Freq{Months: 1}), 42, 1, 12},
		{"WeeklySine", seasonal(200, 52, week), 174, 1, 52},
		{"MonthlyNoSeason", noSeason(144, ingest.Freq{Months: 1}), 108, 1, 1},
		{"Steps", seasonal(200, 10, ingest.Freq{}), 150, 10, 10},
		{"MonthlySpike", spiked(seasonal(144, 12, ingest.Freq{Months: 1}), 70, 8), 108, 1, 12},
		{"MonthlySpikeNoSeason", spiked(noSeason(144, ingest.Freq{Months: 1}), 70, 8), 108, 1, 1},
	} {
		v := tt.s.Values()[:tt.n]
		if got := ingest.AutoSeason(v, tt.s.Freq); got != tt.acf {
			t.Errorf("%s: ingest.AutoSeason = %d, want %d", tt.name, got, tt.acf)
		}
		if got := AutoSeason(v, tt.s.Freq); got != tt.m {
			t.Errorf("%s: AutoSeason = %d, want %d", tt.name, got, tt.m)
		}
	}
}

// TestResolveHorizon: the horizon left to the data is the M4
// competition's for the frequency (its Guidelines: yearly 6, quarterly 8,
// monthly 18, weekly 13, daily 14, hourly 48), a day of steps under an
// hour, at most a third of the shortest series, and one step at least.
func TestResolveHorizon(t *testing.T) {
	day := 24 * time.Hour
	for _, tt := range []struct {
		name    string
		f       ingest.Freq
		n, want int
	}{
		{"Yearly", ingest.Freq{Months: 12}, 100, 6},
		{"Quarterly", ingest.Freq{Months: 3}, 108, 8},
		{"QuarterlyShort", ingest.Freq{Months: 3}, 10, 3},
		{"Monthly", ingest.Freq{Months: 1}, 144, 18},
		{"Weekly", ingest.Freq{Step: 7 * day}, 400, 13},
		{"Daily", ingest.Freq{Step: day}, 365, 14},
		{"BusinessDaily", ingest.Freq{BusinessDays: 1}, 500, 14},
		{"Hourly", ingest.Freq{Step: time.Hour}, 1000, 48},
		// Under an hour, a day ahead, at most 96 steps.
		{"HalfHourly", ingest.Freq{Step: 30 * time.Minute}, 1000, 48},
		{"QuarterHourly", ingest.Freq{Step: 15 * time.Minute}, 1000, 96},
		{"FiveMinutes", ingest.Freq{Step: 5 * time.Minute}, 1000, 96},
		{"SevenMinutes", ingest.Freq{Step: 7 * time.Minute}, 1000, 24},
		{"TwoHourly", ingest.Freq{Step: 2 * time.Hour}, 1000, 24},
		{"NoTimes", ingest.Freq{}, 30, 10},
		{"Tiny", ingest.Freq{}, 4, 1},
	} {
		values := make([]float64, tt.n)
		for i := range values {
			values[i] = 10 + float64(i%7)
		}
		s := ingest.NewSeries("y", nil, values)
		s.Freq = tt.f
		got, err := (Config{Season: 1}).Resolve([]*ingest.Series{s})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got.Horizon != tt.want {
			t.Errorf("%s, %d values: horizon %d, want %d", tt.name, tt.n, got.Horizon, tt.want)
		}
	}
	// A horizon given stays, however long.
	s := seasonal(144, 12, ingest.Freq{Months: 1})
	if got, err := (Config{Horizon: 60}).Resolve([]*ingest.Series{s}); err != nil || got.Horizon != 60 {
		t.Errorf("horizon 60 given: %d, %v; want 60", got.Horizon, err)
	}
}

// level returns seasonal(n, m, f) without its trend: its last values
// stay within the range of its train part.
func level(n, m int, f ingest.Freq) *ingest.Series {
	s := seasonal(n, m, f)
	v := s.Values()
	for i := range v {
		v[i] -= 0.5 * float64(i)
	}
	out := ingest.NewSeries("y", s.Times(), v)
	out.Freq = f
	return out
}

func TestTrials(t *testing.T) {
	monthly := ingest.Freq{Months: 1}
	small, err := Config{Horizon: 12}.Resolve([]*ingest.Series{level(144, 12, monthly)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range small.trials([]*ingest.Series{level(144, 12, monthly)}) {
		got = append(got, string(tr.Norm)+"/"+string(tr.Transform))
	}
	want := []string{"none/none", "last/none", "mean/none", "season/none", "none/log", "last/log", "mean/log", "season/log"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("small positive series: trials %v, want %v", got, want)
	}
	values := level(144, 12, monthly).Values()
	values[5] = 0
	withZero := ingest.NewSeries("y", level(144, 12, monthly).Times(), values)
	withZero.Freq = monthly
	if n := len(small.trials([]*ingest.Series{withZero})); n != 4 {
		t.Errorf("a series with a zero: %d trials, want the 4 without the log", n)
	}
	// A series whose last window rose beyond its train part's range (by
	// more than a tenth of it) is not tried without normalisation.
	got = got[:0]
	for _, tr := range small.trials([]*ingest.Series{seasonal(144, 12, monthly)}) {
		got = append(got, string(tr.Norm)+"/"+string(tr.Transform))
	}
	if want := []string{"last/none", "mean/none", "season/none", "last/log", "mean/log", "season/log"}; !reflect.DeepEqual(got, want) {
		t.Errorf("a series risen beyond its train part: trials %v, want %v", got, want)
	}
	long := seasonal(5000, 24, ingest.Freq{Step: time.Hour})
	big, err := Config{Horizon: 24}.Resolve([]*ingest.Series{long})
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, tr := range big.trials([]*ingest.Series{long}) {
		got = append(got, string(tr.Norm)+"/"+string(tr.Transform))
	}
	if want := []string{"last/none", "season/none"}; !reflect.DeepEqual(got, want) {
		t.Errorf("large series: trials %v, want %v", got, want)
	}
	fixed := big
	fixed.WindowNorm, fixed.Transform = NormMean, TransformLog
	if tr := fixed.trials([]*ingest.Series{long}); len(tr) != 1 || tr[0].Norm != NormMean || tr[0].Transform != TransformLog {
		t.Errorf("given settings: trials %+v, want mean/log alone", tr)
	}

	// Intermittent series without a season are not tried relative to
	// their last value; beside a series that is not intermittent they are.
	sales := make([]float64, 300)
	for i := 3; i < len(sales); i += 9 {
		sales[i] = float64(1 + i%4)
	}
	daily := ingest.Freq{Step: 24 * time.Hour}
	for _, tt := range []struct {
		series []*ingest.Series
		want   []string
	}{
		{[]*ingest.Series{datedSeries(sales, daily)}, []string{"none/none", "mean/none"}},
		{[]*ingest.Series{datedSeries(sales, daily), datedSeries(level(300, 1, daily).Values(), daily)}, []string{"none/none", "last/none", "mean/none"}},
	} {
		c, err := Config{Season: 1}.Resolve(tt.series)
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, tr := range c.trials(tt.series) {
			got = append(got, string(tr.Norm)+"/"+string(tr.Transform))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d series: trials %v, want %v", len(tt.series), got, tt.want)
		}
	}
}

// TestResolveRefusesForecastPastYear9999: 60 days to 9999-12-31 were
// fitted and their forecast stored as "10000-01-01T00:00:00Z", which no
// command could read back. Resolve refuses such a series before anything
// is trained; one whose forecast ends on 9999-12-31 is fitted.
func TestResolveRefusesForecastPastYear9999(t *testing.T) {
	day := ingest.Freq{Step: 24 * time.Hour}
	for _, tt := range []struct {
		end  time.Time
		fail bool
	}{
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), true},
		{time.Date(9999, 12, 17, 0, 0, 0, 0, time.UTC), false},
	} {
		var times []time.Time
		var values []float64
		for i := range 60 {
			times = append(times, tt.end.AddDate(0, 0, i-59))
			values = append(values, 10+float64(i%7))
		}
		s := ingest.NewSeries("y", times, values)
		s.Freq = day
		_, err := Config{Horizon: 14}.Resolve([]*ingest.Series{s})
		refused := errors.Is(err, ErrInvalid) && strings.Contains(err.Error(), "would reach 10000-01-14")
		if (tt.fail && !refused) || (!tt.fail && err != nil) {
			t.Errorf("ending %s: %v", tt.end.Format(time.DateOnly), err)
		}
	}
}

// TestAutoSeasonNoise: white noise of fewer than four seasons seldom has a
// season, and a noisy sine keeps its. The seasonal strength alone (the
// centred moving average leaves few values per position, which the
// seasonal part fits) gave 110 weeks of noise season 52 in 50 of 50
// draws, 30 months season 12 in 32 of 50.
func TestAutoSeasonNoise(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    ingest.Freq
		n, m int
	}{
		{"Weekly", ingest.Freq{Step: 7 * 24 * time.Hour}, 110, 52},
		{"Monthly", ingest.Freq{Months: 1}, 30, 12},
	} {
		found, kept := 0, 0
		for seed := range 50 {
			r := rand.New(rand.NewPCG(uint64(seed), 1))
			noise, sine := make([]float64, tt.n), make([]float64, tt.n)
			for i := range noise {
				e := r.NormFloat64()
				noise[i] = 100 + e
				sine[i] = 100 + 10*math.Sin(2*math.Pi*float64(i)/float64(tt.m)) + 6*e
			}
			if AutoSeason(noise, tt.f) != 1 {
				found++
			}
			if AutoSeason(sine, tt.f) == tt.m {
				kept++
			}
		}
		if found > 5 {
			t.Errorf("%s: a season in %d of 50 draws of %d values of white noise", tt.name, found, tt.n)
		}
		if kept < 40 {
			t.Errorf("%s: the season of a sine in noise found in %d of 50 draws of %d values", tt.name, kept, tt.n)
		}
	}
}

// TestAutoSeasonRandomWalk: a random walk has no season, though its
// autocorrelation at the calendar season passed the test (46 of 50 walks
// of 240 months got season 12, 50 of 50 of 120 quarters season 4, of 60
// days of hours season 24); a walk with a season keeps it.
func TestAutoSeasonRandomWalk(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    ingest.Freq
		n, m int
	}{
		{"Monthly", ingest.Freq{Months: 1}, 240, 12},
		{"Quarterly", ingest.Freq{Months: 3}, 120, 4},
		{"Hourly", ingest.Freq{Step: time.Hour}, 24 * 60, 24},
	} {
		found, kept := 0, 0
		for seed := range 50 {
			r := rand.New(rand.NewPCG(uint64(seed), 7))
			walk, seasonal := make([]float64, tt.n), make([]float64, tt.n)
			level := 100.0
			for i := range walk {
				level += r.NormFloat64()
				walk[i] = level
				seasonal[i] = level + 5*math.Sin(2*math.Pi*float64(i)/float64(tt.m))
			}
			if AutoSeason(walk, tt.f) != 1 {
				found++
			}
			if AutoSeason(seasonal, tt.f) == tt.m {
				kept++
			}
		}
		if found > 5 {
			t.Errorf("%s: a season in %d of 50 random walks of %d values", tt.name, found, tt.n)
		}
		if kept < 48 {
			t.Errorf("%s: the season of a walk with a season found in %d of 50 draws", tt.name, kept)
		}
	}
}

// TestLeaveOutShortSaysWhatTheModelNeeds: the note of a series left out
// of a fit of several for being too short to split gives the values it
// would take (it said "lookback 0", then the model's lookback, which a
// short series kept beside the network does not need): a series of that
// many values is kept, one fewer left out.
func TestLeaveOutShortSaysWhatTheModelNeeds(t *testing.T) {
	day := ingest.Freq{Step: 24 * time.Hour}
	with := func(n int) []*ingest.Series {
		var series []*ingest.Series
		for _, id := range []string{"a", "b", "c", "new"} {
			s := seasonal(300, 7, day)
			if id == "new" {
				s = seasonal(n, 7, day)
			}
			s.ID = id
			series = append(series, s)
		}
		return series
	}
	for _, tt := range []struct {
		name string
		c    Config
		of   string
	}{
		{"LookbackLeftToTheData", Config{Horizon: 28}, "horizon 28"},
		{"LookbackGiven", Config{Horizon: 14, Lookback: 56}, "lookback 56 and horizon 14"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			kept, why := LeaveOutShort(with(40), tt.c)
			var need int
			prefix := fmt.Sprintf(`series "new" has 40 values, too few for windows of %s in each part of its split, which take at least `, tt.of)
			if len(kept) != 3 || len(why) != 1 || !strings.HasPrefix(why[0], prefix) {
				t.Fatalf("kept %d series, why %q; want a, b and c, and a note starting %q", len(kept), why, prefix)
			}
			if _, err := fmt.Sscanf(strings.TrimPrefix(why[0], prefix), "%d values", &need); err != nil || need <= 40 {
				t.Fatalf("note %q: need %d (%v)", why[0], need, err)
			}
			if kept, _ := LeaveOutShort(with(need), tt.c); len(kept) != 4 {
				t.Errorf("a series of the %d values the note says is left out", need)
			}
			if kept, _ := LeaveOutShort(with(need-1), tt.c); len(kept) != 3 {
				t.Errorf("a series of %d values, one fewer than the note says, is kept", need-1)
			}
		})
	}
}
