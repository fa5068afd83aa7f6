package ingest_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// summary is what the layout tests compare: per series its id, values and
// first time (zero without times).
type summary struct {
	ID     string
	Values []float64
	First  time.Time
}

func summarize(d *ingest.Dataset) []summary {
	var out []summary
	for _, s := range d.Series {
		sm := summary{ID: s.ID, Values: s.Values()}
		if len(s.Times()) > 0 {
			sm.First = s.Time(0)
		}
		out = append(out, sm)
	}
	return out
}

// m5 is sales in the long layout of M5: a series is an item in a store,
// told apart by both columns.
const m5 = "date,store_id,item_id,sales\n" +
	"2024-01-01,S1,I01,3\n2024-01-01,S1,I02,1\n2024-01-01,S2,I01,7\n" +
	"2024-01-02,S1,I01,4\n2024-01-02,S1,I02,2\n2024-01-02,S2,I01,8\n"

func TestLoadAllLayouts(t *testing.T) {
	const long = "unit,ds,y,temp\n" +
		"b,2020-01-01,10,1\n" +
		"a,2020-01-02,2,1\n" +
		"a,2020-01-01,1,1\n" + // out of order: sorted
		"b,2020-01-02,20,1\n" +
		"b,2020-01-04,40,1\n" // 2020-01-03 absent: filled
	tests := []struct {
		Name  string
		Input string
		Opt   ingest.Options
		Want  []summary
		Notes []string // substrings of the notes, in order
		Msg   string
	}{{
		Name:  "Long",
		Input: long,
		Opt:   ingest.Options{ID: "unit", Target: "y"},
		Want: []summary{
			{"b", []float64{10, 20, 30, 40}, date(2020, 1, 1, 0, 0)},
			{"a", []float64{1, 2}, date(2020, 1, 1, 0, 0)},
		},
		Notes: []string{`rows out of time order ("2020-01-01" on line 4 comes after "2020-01-02" on line 3): sorted by time`,
			`series "b": 1 gap of 1 absent step in all: 1 filled by linear interpolation`},
	}, {
		// The time column, not named as one, after the id: it was
		// missed, and the rows were integer steps with the gap unseen.
		Name:  "LongIDBeforeDay",
		Input: "store,day,amount\ns2,2023-03-17,20\ns2,2023-03-18,21\ns2,2023-03-20,23\n",
		Opt:   ingest.Options{ID: "store"},
		Want:  []summary{{"s2", []float64{20, 21, 22, 23}, date(2023, 3, 17, 0, 0)}},
		Notes: []string{`series "s2": 1 gap of 1 absent step in all: 1 filled by linear interpolation`},
	}, {
		// Local hours of the day clocks go forward: the absent hour is
		// named as such.
		Name:  "ClocksForward",
		Input: "time,load\n2024-03-31 00:00,1\n2024-03-31 01:00,2\n2024-03-31 03:00,4\n2024-03-31 04:00,5\n",
		Want:  []summary{{"load", []float64{1, 2, 3, 4, 5}, date(2024, 3, 31, 0, 0)}},
		Notes: []string{`series "load": 1 gap of 1 absent step in all (an hour absent early on a Sunday is the hour clocks go forward in local time: write the times in UTC or with their UTC offsets): 1 filled by linear interpolation`},
	}, {
		// In UTC no clock changes, nor in July.
		Name:  "GapInUTC",
		Input: "time,load\n2024-03-31T00:00:00Z,1\n2024-03-31T01:00:00Z,2\n2024-03-31T03:00:00Z,4\n2024-03-31T04:00:00Z,5\n",
		Want:  []summary{{"load", []float64{1, 2, 3, 4, 5}, date(2024, 3, 31, 0, 0)}},
		Notes: []string{`series "load": 1 gap of 1 absent step in all: 1 filled by linear interpolation`},
	}, {
		Name:  "GapInJuly",
		Input: "time,load\n2024-07-14 00:00,1\n2024-07-14 01:00,2\n2024-07-14 03:00,4\n2024-07-14 04:00,5\n",
		Want:  []summary{{"load", []float64{1, 2, 3, 4, 5}, date(2024, 7, 14, 0, 0)}},
		Notes: []string{`series "load": 1 gap of 1 absent step in all: 1 filled by linear interpolation`},
	}, {
		// The same hour absent on a Monday is a gap.
		Name:  "GapOnMonday",
		Input: "time,load\n2024-04-01 00:00,1\n2024-04-01 01:00,2\n2024-04-01 03:00,4\n2024-04-01 04:00,5\n",
		Want:  []summary{{"load", []float64{1, 2, 3, 4, 5}, date(2024, 4, 1, 0, 0)}},
		Notes: []string{`series "load": 1 gap of 1 absent step in all: 1 filled by linear interpolation`},
	}, {
		// Observations: the rows without a value are left out, the times
		// of the others kept.
		Name:  "SkipMissing",
		Input: "date,y\n2024-01-01,1\n2024-01-02,NA\n2024-01-03,3\n2024-01-04,\n2024-01-05,5\n",
		Opt:   ingest.Options{Fill: ingest.FillNone, SkipMissing: true},
		Want:  []summary{{"y", []float64{1, 3, 5}, date(2024, 1, 1, 0, 0)}},
		Notes: []string{`series "y": 2 missing values: 2 rows without a value left out`},
	}, {
		// A day's row of two stores, one not in yet: that one is left out,
		// the other read (the file was refused whole).
		Name:  "SkipMissingSeriesWithout",
		Input: "date,a,b\n2024-01-05,5,\n",
		Opt:   ingest.Options{Targets: []string{"a", "b"}, Fill: ingest.FillNone, SkipMissing: true, SingleRow: true},
		Want:  []summary{{"a", []float64{5}, date(2024, 1, 5, 0, 0)}},
		Notes: []string{`series "b" has no value: left out`},
	}, {
		// Missing covariate values are filled with a note: 288 of 300
		// were filled without a word.
		Name:  "CovariateFilledNoted",
		Input: "date,y,temp\n2024-01-01,1,NA\n2024-01-02,2,3\n2024-01-03,3,NA\n2024-01-04,4,5\n",
		Opt:   ingest.Options{Target: "y", Covariates: []string{"temp"}},
		Want:  []summary{{"y", []float64{1, 2, 3, 4}, date(2024, 1, 1, 0, 0)}},
		Notes: []string{`series "y": covariate "temp": 2 missing values of 4 filled (50.0 %)`},
	}, {
		// Unix seconds under "ts" are the time; under another name they
		// were read as a series without a word.
		Name:  "UnixSecondsTs",
		Input: "ts,y\n1704067200,1\n1704070800,2\n",
		Opt:   ingest.Options{Target: "y"},
		Want:  []summary{{"y", []float64{1, 2}, date(2024, 1, 1, 0, 0)}},
	}, {
		// A column named epoch of a model's training epochs is data.
		Name:  "EpochsNotUnixTimes",
		Input: "epoch,loss\n1,0.9\n2,0.5\n",
		Opt:   ingest.Options{Target: "loss"},
		Want:  []summary{{"loss", []float64{0.9, 0.5}, time.Time{}}},
	}, {
		Name:  "UnixSecondsUnnamed",
		Input: "at,y\n1704067200,1\n1704070800,2\n",
		Opt:   ingest.Options{Target: "y"},
		Want:  []summary{{"y", []float64{1, 2}, time.Time{}}},
		Notes: []string{`column "at" holds what look like Unix times (1704067200, …), not taken for the time: give --time at to read them as times`},
	}, {
		// pandas' to_csv writes its index first, under no name: the time
		// column after it was missed, and the rows, newest first, were
		// forecast as integer steps in file order.
		Name:  "PandasIndexBeforeTime",
		Input: ",period,sales\n0,2023-12,147\n1,2023-11,146\n2,2023-10,145\n",
		Opt:   ingest.Options{Target: "sales"},
		Want:  []summary{{"sales", []float64{145, 146, 147}, date(2023, 10, 1, 0, 0)}},
		Notes: []string{`rows out of time order ("2023-11" on line 3 comes after "2023-12" on line 2): sorted by time`},
	}, {
		// Its rows filtered, the index no longer counts them; with no
		// target given, it is not taken for a series.
		Name:  "PandasIndexNoTarget",
		Input: ",date,y\n3,2024-01-01,5\n7,2024-01-02,2\n9,2024-01-03,3\n",
		Want:  []summary{{"y", []float64{5, 2, 3}, date(2024, 1, 1, 0, 0)}},
		Notes: []string{`column "X0" numbers the rows, as an index: not taken as a series`},
	}, {
		// The id of a long file before its time, without --id: the time
		// is found, and the duplicate times name the id.
		Name:  "LongIDBeforeTimeWithoutID",
		Input: "store,period,sales\nA,2020-01,1\nA,2020-02,2\nB,2020-01,3\nB,2020-02,4\n",
		Opt:   ingest.Options{Target: "sales"},
		Msg:   `data.csv:4:2 (column "period"): duplicate time "2020-01", first on line 2; 2 duplicates in all, also "2020-02" on line 5; if the file holds several series, give the column that tells them apart (--id), e.g. "store"`,
	}, {
		// With no target given, a column all of whose cells are numbers
		// written with commas was no candidate: "no target column given".
		// In a file delimited by commas, a quoted decimal comma is refused
		// with a hint; delimited by semicolons, it is read.
		Name:  "DecimalCommaNoTarget",
		Input: "date,y\n2020-01-01,\"1,5\"\n2020-01-02,\"2,5\"\n",
		Msg:   `data.csv:2:2 (column "y"): parse "1,5" as a number: invalid syntax (a decimal comma? use a point) (with no target given, a column is taken only if it holds numbers)`,
	}, {
		Name:  "DecimalCommaSemicolons",
		Input: "date;y\n2020-01-01;1,5\n2020-01-02;2,5\n",
		Want:  []summary{{"y", []float64{1.5, 2.5}, date(2020, 1, 1, 0, 0)}},
	}, {
		Name:  "LongTargetFound",
		Input: "unit,ds,y\nb,2020-01-01,10\nb,2020-01-02,20\n",
		Opt:   ingest.Options{ID: "unit"},
		Want:  []summary{{"b", []float64{10, 20}, date(2020, 1, 1, 0, 0)}},
	}, {
		// M5's sales: a series is an item in a store, its id both, in the
		// order given.
		Name:  "LongKeyOfTwo",
		Input: m5,
		Opt:   ingest.Options{ID: "store_id,item_id", Target: "sales"},
		Want: []summary{
			{"S1/I01", []float64{3, 4}, date(2024, 1, 1, 0, 0)},
			{"S1/I02", []float64{1, 2}, date(2024, 1, 1, 0, 0)},
			{"S2/I01", []float64{7, 8}, date(2024, 1, 1, 0, 0)},
		},
	}, {
		Name:  "LongKeyOrder",
		Input: m5,
		Opt:   ingest.Options{ID: "item_id, store_id", Target: "sales"},
		Want: []summary{
			{"I01/S1", []float64{3, 4}, date(2024, 1, 1, 0, 0)},
			{"I02/S1", []float64{1, 2}, date(2024, 1, 1, 0, 0)},
			{"I01/S2", []float64{7, 8}, date(2024, 1, 1, 0, 0)},
		},
	}, {
		// A column whose name holds a comma is that column, not those
		// the name lists.
		Name:  "LongKeyNameWithComma",
		Input: "date,store,item,\"store,item\",y\n2024-01-01,s,i,k1,1\n2024-01-02,s,i,k1,2\n2024-01-01,s,i,k2,3\n2024-01-02,s,i,k2,4\n",
		Opt:   ingest.Options{ID: "store,item", Target: "y"},
		Want:  []summary{{"k1", []float64{1, 2}, date(2024, 1, 1, 0, 0)}, {"k2", []float64{3, 4}, date(2024, 1, 1, 0, 0)}},
	}, {
		Name:  "LongKeyMissing",
		Input: m5,
		Opt:   ingest.Options{ID: "store_id,item", Target: "sales"},
		Msg:   `data.csv:1: no id column "item"; the columns are "date", "store_id", "item_id", "sales"`,
	}, {
		Name:  "LongKeyEmptyName",
		Input: m5,
		Opt:   ingest.Options{ID: "store_id,", Target: "sales"},
		Msg:   `data.csv:1: id "store_id,": an empty column name`,
	}, {
		// Half the key given: the duplicate times name the whole.
		Name:  "LongKeyHalf",
		Input: m5,
		Opt:   ingest.Options{ID: "store_id", Target: "sales"},
		Msg: `data.csv:3:1 (column "date"): duplicate time "2024-01-01", first on line 2; 2 duplicates in all, also "2024-01-02" on line 6; ` +
			`give --id store_id,item_id if the series are told apart by both`,
	}, {
		Name:  "RowsKeyOfTwo",
		Input: "a,b,v1,v2\nx,y,1,2\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows, ID: "a,b"},
		Msg:   `data.csv:1:2 (column "b"): the rows layout takes one id column, not 2`,
	}, {
		Name:  "UniqueID",
		Input: "unique_id,ds,y\nb,2020-01-01,10\nb,2020-01-02,20\nc,2020-01-01,1\nc,2020-01-02,2\n",
		Want:  []summary{{"b", []float64{10, 20}, date(2020, 1, 1, 0, 0)}, {"c", []float64{1, 2}, date(2020, 1, 1, 0, 0)}},
		Notes: []string{"long layout, series told apart by the column unique_id"},
	}, {
		Name:  "LongSeveralCandidates",
		Input: long,
		Opt:   ingest.Options{ID: "unit"},
		Msg:   `data.csv:1: several numeric columns could be the target ("y", "temp"): name it with --target`,
	}, {
		Name:  "LongDuplicate",
		Input: "unit,ds,y\na,2020-01-01,1\nb,2020-01-01,1\na,2020-01-01,2\n",
		Opt:   ingest.Options{ID: "unit", Target: "y"},
		Msg:   `data.csv:4:2 (column "ds"): duplicate time "2020-01-01", first on line 2`,
	}, {
		// A wide file of two series: the other target is no id.
		Name:  "WideDuplicateNoHint",
		Input: "ds,a,b\n2020-01-01,1,2\n2020-01-01,1,2\n2020-01-02,2,3\n",
		Msg:   `data.csv:3:1 (column "ds"): duplicate time "2020-01-01", first on line 2: the whole row is repeated`,
	}, {
		// One instant written with two offsets: a wrong one, not a second
		// series.
		Name:  "DuplicateInstant",
		Input: "ds,y,temp\n2024-03-31T01:00:00+01:00,10,3.5\n2024-03-31T02:00:00+02:00,11,3.4\n2024-03-31T03:00:00+02:00,12,3.1\n",
		Opt:   ingest.Options{Target: "y"},
		Msg:   `data.csv:3:1 (column "ds"): duplicate time "2024-03-31T02:00:00+02:00", first on line 2 as "2024-03-31T01:00:00+01:00", the same instant with another UTC offset (is one wrong?)`,
	}, {
		// One month in two spellings: no offset to blame.
		Name:  "DuplicateSpelling",
		Input: "date,y\nJan 2020,5\nFeb 2020,6\nFEB 2020,7\nMar 2020,8\n",
		Msg:   `data.csv:4:1 (column "date"): duplicate time "FEB 2020", first on line 3 as "Feb 2020", the same time written otherwise`,
	}, {
		// The hour clocks go back, its value unchanged: the clocks are
		// named, not a repeated row.
		Name:  "ClocksBackSameValue",
		Input: "time,load\n2024-10-27 00:00,3\n2024-10-27 01:00,4\n2024-10-27 02:00,4\n2024-10-27 02:00,4\n2024-10-27 03:00,5\n",
		Msg:   `data.csv:5:1 (column "time"): duplicate time "2024-10-27 02:00", first on line 4; an hour repeated early on a Sunday is the hour clocks go back in local time: write the times in UTC or with their UTC offsets (in central Europe 02:00+02:00, then 02:00+01:00)`,
	}, {
		// The only numbers count the rows: the error says they were
		// taken for an index.
		Name:  "NoTargetButCounter",
		Input: "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n",
		Msg:   `data.csv:1: no target column given, and "y" numbers the rows (1, 2, 3, …), taken for an index: name it (--target) if it is the series`,
	}, {
		// An index of one row: its error quoted cells it had not.
		Name:  "NoTargetButIndexOneRow",
		Input: ",name\n5,a\n",
		Opt:   ingest.Options{SingleRow: true},
		Msg:   `data.csv:1: no target column given, and "X0" numbers the rows (5, …), taken for an index: name it (--target) if it is the series`,
	}, {
		// A long file read as one series: its other columns are named.
		Name:  "LongWithoutID",
		Input: "ds,unit,site,y\n2020-01-01,a,n,1\n2020-01-01,b,n,1\n2020-01-02,a,n,2\n",
		Opt:   ingest.Options{Time: "ds", Target: "y"},
		Msg:   `data.csv:3:1 (column "ds"): duplicate time "2020-01-01", first on line 2; if the file holds several series, give the column that tells them apart (--id), e.g. "unit", "site"`,
	}, {
		// A new item of one row failed the whole file, naming no line:
		// it is left out of the others with a note.
		Name:  "LongOneRow",
		Input: "unit,ds,y\na,2020-01-01,1\nb,2020-01-01,1\na,2020-01-02,2\n",
		Opt:   ingest.Options{ID: "unit", Target: "y"},
		Want:  []summary{{"a", []float64{1, 2}, date(2020, 1, 1, 0, 0)}},
		Notes: []string{`data.csv:3: series "b" has 1 row: want at least 2: left out`},
	}, {
		// The only series of a file is not left out.
		Name:  "LongOneRowAlone",
		Input: "unit,ds,y\nb,2020-01-01,1\n",
		Opt:   ingest.Options{ID: "unit", Target: "y"},
		Msg:   `data.csv:2: series "b" has 1 row: want at least 2`,
	}, {
		// Nor is the last one: the first one's error is returned.
		Name:  "LongAllOneRow",
		Input: "unit,ds,y\na,2020-01-01,1\nb,2020-01-01,1\n",
		Opt:   ingest.Options{ID: "unit", Target: "y"},
		Msg:   `data.csv:2: series "a" has 1 row: want at least 2`,
	}, {
		// An item with a gap longer than --max-fill allows failed the
		// whole file: it is left out of the others.
		Name: "LongGapLeftOut",
		Input: "unit,ds,y\na,2020-01-01,1\na,2020-01-02,2\na,2020-01-03,3\n" +
			"b,2020-01-01,1\nb,2020-01-02,2\nb,2020-01-03,3\nb,2020-01-08,8\n",
		Opt:  ingest.Options{ID: "unit", Target: "y", MaxFill: 0.1, Freq: ingest.Freq{Step: 24 * time.Hour}},
		Want: []summary{{"a", []float64{1, 2, 3}, date(2020, 1, 1, 0, 0)}},
		Notes: []string{`data.csv:1:3 (column "y"): series "b": filling would invent 4 of its 8 values (50 %), more than the 10 % allowed: ` +
			`4 daily steps absent in 1 gap, at 2020-01-04 to 2020-01-07 (4 steps); check the time column and the frequency (--freq), or allow more with --max-fill: left out`},
	}, {
		// A target of a wide file with one value is left out of the
		// others.
		Name:  "WideShortLeftOut",
		Input: "date,a,b\n2020-01-01,1,\n2020-01-02,2,\n2020-01-03,3,5\n",
		Opt:   ingest.Options{Targets: []string{"a", "b"}},
		Want:  []summary{{"a", []float64{1, 2, 3}, date(2020, 1, 1, 0, 0)}},
		Notes: []string{`data.csv:1:3 (column "b"): series "b" has 1 value(s) after dropping missing ones: want at least 2: left out`},
	}, {
		// The one target named is not.
		Name:  "WideShortAlone",
		Input: "date,a,b\n2020-01-01,1,\n2020-01-02,2,\n2020-01-03,3,5\n",
		Opt:   ingest.Options{Target: "b"},
		Msg:   `data.csv:1:3 (column "b"): series "b" has 1 value(s) after dropping missing ones: want at least 2`,
	}, {
		Name:  "WideGlob",
		Input: "date,HUFL,HULL,OT\n2020-01-01,1,2,3\n2020-01-02,4,5,6\n",
		Opt:   ingest.Options{Targets: []string{"HU*"}},
		Want:  []summary{{"HUFL", []float64{1, 4}, date(2020, 1, 1, 0, 0)}, {"HULL", []float64{2, 5}, date(2020, 1, 1, 0, 0)}},
	}, {
		Name:  "WideNames",
		Input: "date,HUFL,HULL,OT\n2020-01-01,1,2,3\n2020-01-02,4,5,6\n",
		Opt:   ingest.Options{Target: "OT", Targets: []string{"HUFL", "OT"}},
		Want:  []summary{{"OT", []float64{3, 6}, date(2020, 1, 1, 0, 0)}, {"HUFL", []float64{1, 4}, date(2020, 1, 1, 0, 0)}},
	}, {
		Name:  "WideAllNumeric",
		Input: "No,date,a,wind,b\n1,2020-01-01,1,NW,x\n2,2020-01-02,4,SE,\n3,2020-01-03,NA,SE,\n",
		Want:  []summary{{"a", []float64{1, 4}, date(2020, 1, 1, 0, 0)}},
		Notes: []string{`column "No" counts the rows: not taken as a series`, `series "a": 1 missing value: 1 at the start or end dropped`},
	}, {
		// A column of numbers but for a typo is named, not dropped unseen.
		Name:  "WideTypo",
		Input: "date,a,b\n2020-01-01,1,5\n2020-01-02,4,6\n2020-01-03,2,6O\n2020-01-04,3,7\n",
		Want:  []summary{{"a", []float64{1, 4, 2, 3}, date(2020, 1, 1, 0, 0)}},
		Notes: []string{`data.csv:4:3 (column "b"): parse "6O" as a number: invalid syntax (with no target given, a column is taken only if it holds numbers): not taken as a series`},
	}, {
		Name:  "WideGlobNoMatch",
		Input: "date,HUFL\n2020-01-01,1\n2020-01-02,4\n",
		Opt:   ingest.Options{Targets: []string{"X*"}},
		Msg:   `data.csv:1: no target column "X*"; the columns are "date", "HUFL"`,
	}, {
		Name:  "Rows",
		Input: "\"V1\",\"V2\",\"V3\",\"V4\"\n\"H1\",\"1\",\"2\",\"3\"\n\"H2\",\"4\",\"5\",\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows},
		Want:  []summary{{"H1", []float64{1, 2, 3}, time.Time{}}, {"H2", []float64{4, 5}, time.Time{}}},
	}, {
		Name:  "RowsRaggedMissingInside",
		Input: "id,F1,F2,F3\nH1,1,,3\nH2,4,5\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows, Target: "H*", Start: date(2020, 1, 1, 0, 0), Freq: ingest.Freq{Step: time.Hour}},
		Want:  []summary{{"H1", []float64{1, 2, 3}, date(2020, 1, 1, 0, 0)}, {"H2", []float64{4, 5}, date(2020, 1, 1, 0, 0)}},
	}, {
		Name:  "RowsSelect",
		Input: "id,F1,F2\nH1,1,2\nH2,4,5\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows, Target: "H2"},
		Want:  []summary{{"H2", []float64{4, 5}, time.Time{}}},
	}, {
		Name:  "RowsSelectMissing",
		Input: "id,F1,F2\nH1,1,2\nH2,4,5\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows, Target: "H3"},
		Msg:   `data.csv:1:1 (column "id"): no row has the id "H3"`,
	}, {
		Name:  "RowsTooLong",
		Input: "id,F1,F2\nH1,1,2,3\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows},
		Msg:   `data.csv:2: wrong number of fields: got 4, the header has 3`,
	}, {
		Name:  "RowsDuplicateID",
		Input: "id,F1,F2\nH1,1,2\nH1,4,5\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows},
		Msg:   `data.csv:3:1 (column "id"): duplicate id "H1", first on line 2`,
	}, {
		Name:  "RowsBadNumber",
		Input: "id,F1,F2\nH1,1,2\nH2,4,x\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows},
		Msg:   `data.csv:3:3 (column "F2"): parse "x" as a number: invalid syntax`,
	}, {
		// A row too short is left out of the others.
		Name:  "RowsShort",
		Input: "id,F1,F2\nH1,1,2\nH2,4,\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows},
		Want:  []summary{{"H1", []float64{1, 2}, time.Time{}}},
		Notes: []string{`data.csv:3: series "H2" has 1 value(s): want at least 2: left out`},
	}, {
		// The one row taken is not.
		Name:  "RowsShortAlone",
		Input: "id,F1,F2\nH1,1,2\nH2,4,\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows, Target: "H2"},
		Msg:   `data.csv:3: series "H2" has 1 value(s): want at least 2`,
	}, {
		// Year and month columns are a time only if they hold integers.
		Name:  "MonthColumnNotPart",
		Input: "year,month,y\n1949,1949-01,1\n1949,1949-02,2\n",
		Opt:   ingest.Options{Target: "y"},
		Want:  []summary{{"y", []float64{1, 2}, date(1949, 1, 1, 0, 0)}},
	}, {
		Name:  "Semicolon",
		Input: "date;y\n2020-01-01;1\n2020-01-02;2\n",
		Opt:   ingest.Options{Target: "y"},
		Want:  []summary{{"y", []float64{1, 2}, date(2020, 1, 1, 0, 0)}},
		Notes: []string{"delimiter ';' detected"},
	}, {
		// Instants with an offset are read in UTC, which a note says.
		Name:  "OffsetNoted",
		Input: "date,y\n2020-01-01T00:00:00+02:00,1\n2020-01-01T01:00:00+02:00,2\n",
		Opt:   ingest.Options{Target: "y"},
		Want:  []summary{{"y", []float64{1, 2}, date(2019, 12, 31, 22, 0)}},
		Notes: []string{`column "date": times with a UTC offset are read as instants, shown and forecast in UTC (2020-01-01T00:00:00+02:00 on line 2 is 2019-12-31 22:00)`},
	}, {
		// London's hours start in UTC and move to +01:00: noted too.
		Name:  "OffsetLaterNoted",
		Input: "date,y\n2024-03-31T00:00:00+00:00,1\n2024-03-31T02:00:00+01:00,2\n",
		Opt:   ingest.Options{Target: "y"},
		Want:  []summary{{"y", []float64{1, 2}, date(2024, 3, 31, 0, 0)}},
		Notes: []string{`(2024-03-31T02:00:00+01:00 on line 3 is 2024-03-31 01:00)`},
	}, {
		// A file without a header: its first row is taken for one, which
		// a note points out.
		Name:  "HeaderOfNumbers",
		Input: "0.5,1.25\n0.75,1.5\n1,1.75\n",
		Want:  []summary{{"0.5", []float64{0.75, 1}, time.Time{}}, {"1.25", []float64{1.5, 1.75}, time.Time{}}},
		Notes: []string{"data.csv:1: the header holds only numbers (0.5, …): if that row is data, give --no-header"},
	}, {
		// No target given, and the one column of numbers has a bad cell:
		// that cell is the error, not "no target column".
		Name:  "NoTargetBadCell",
		Input: "date,y\n2020-01-01,1\n2020-01-02,abc\n2020-01-03,3\n",
		Msg:   `data.csv:3:2 (column "y"): parse "abc" as a number: invalid syntax (with no target given, a column is taken only if it holds numbers)`,
	}}
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			opt := tt.Opt
			opt.Name = "data.csv"
			if opt.MaxFill == 0 {
				opt.MaxFill = 1 // these cases test what filling does; TestMaxFill its limit
			}
			d, err := ingest.LoadAll(strings.NewReader(tt.Input), opt)
			if tt.Msg != "" {
				if err == nil || err.Error() != tt.Msg {
					t.Fatalf("LoadAll() error:\ngot  %v\nwant %s", err, tt.Msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadAll() error: %v", err)
			}
			got := summarize(d)
			if len(got) != len(tt.Want) {
				t.Fatalf("LoadAll() = %+v, want %+v", got, tt.Want)
			}
			for i := range got {
				if got[i].ID != tt.Want[i].ID || !got[i].First.Equal(tt.Want[i].First) || !equalFloats(got[i].Values, tt.Want[i].Values) {
					t.Errorf("series %d = %+v, want %+v", i, got[i], tt.Want[i])
				}
			}
			notes := strings.Join(d.Notes, "\n")
			for _, n := range tt.Notes {
				if !strings.Contains(notes, n) {
					t.Errorf("notes lack %q:\n%s", n, notes)
				}
			}
		})
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLoadRequiresOneSeries(t *testing.T) {
	_, err := ingest.Load(strings.NewReader("date,a,b\n2020-01-01,1,2\n2020-01-02,1,2\n"),
		ingest.Options{Name: "w.csv", Targets: []string{"*"}})
	if err == nil || err.Error() != `w.csv holds 2 series ("a", "b", …); want one` {
		t.Errorf("Load() error = %v", err)
	}
	var pe *ingest.ParseError
	_, err = ingest.Load(strings.NewReader("date,a\n2020-01-01,1\n2020-01-02,1\n"), ingest.Options{Name: "w.csv"})
	if !errors.As(err, &pe) || !errors.Is(err, ingest.ErrMissingColumn) {
		t.Errorf("Load() without a target: error %v, want a ParseError for ErrMissingColumn", err)
	}
}

func ExampleLoadAll() {
	in := "unique_id,ds,y\nb,2024-01-02,20\na,2024-01-01,1\nb,2024-01-01,10\na,2024-01-02,2\n"
	d, err := ingest.LoadAll(strings.NewReader(in), ingest.Options{Name: "long.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range d.Series {
		fmt.Println(s.ID, s.Time(0).Format("2006-01-02"), s.Freq, s.Values())
	}
	for _, n := range d.Notes {
		fmt.Println(n)
	}
	// Output:
	// b 2024-01-01 daily [10 20]
	// a 2024-01-01 daily [1 2]
	// long.csv: long layout, series told apart by the column unique_id
	// long.csv: rows out of time order ("2024-01-01" on line 4 comes after "2024-01-02" on line 2): sorted by time
}

// TestTargetPatternSlash reads currency pairs: a pattern's * takes a slash
// in a column name, as it takes any other character, and each series keeps
// its column's name as its ID.
func TestTargetPatternSlash(t *testing.T) {
	path := "../testdata/ingest/fx-slash/series.csv"
	for _, tt := range []struct {
		Pattern string
		IDs     []string
	}{
		{"*", []string{"EUR/USD", "GBP/USD", "USD/JPY"}},
		{"*/USD", []string{"EUR/USD", "GBP/USD"}},
		{"USD/*", []string{"USD/JPY"}},
	} {
		t.Run(tt.Pattern, func(t *testing.T) {
			d, err := ingest.LoadAll(openData(t, path), ingest.Options{Name: path, Targets: []string{tt.Pattern}})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range d.Series {
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, tt.IDs) {
				t.Errorf("series %q, want %q", ids, tt.IDs)
			}
		})
	}
}

func TestAppendFrom(t *testing.T) {
	load := func(csv string) *ingest.Dataset {
		t.Helper()
		d, err := ingest.LoadAll(strings.NewReader(csv), ingest.Options{Name: "x.csv", ID: "id", Target: "y", Covariates: []string{"temp"}, MaxFill: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	train := load("id,date,y,temp\na,2024-01-01,1,10\na,2024-01-02,2,11\nb,2024-01-01,5,20\nb,2024-01-02,6,21\n")
	// b's value of 2024-01-04 is missing: filling invents it (7.5), at
	// index 1 of b's test values and 3 of b once appended.
	test := load("id,date,y,temp\nb,2024-01-03,7,22\nb,2024-01-04,,23\nb,2024-01-05,8,24\na,2024-01-03,3,12\na,2024-01-04,4,13\n")
	if err := train.AppendFrom(test, "test.csv"); err != nil {
		t.Fatal(err)
	}
	a, b := train.Find("a"), train.Find("b")
	if !reflect.DeepEqual(a.Values(), []float64{1, 2, 3, 4}) || !reflect.DeepEqual(a.Covariates()[0].Values, []float64{10, 11, 12, 13}) ||
		len(a.Times()) != 4 || !a.Time(3).Equal(time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a: values %v, temp %v, times %v", a.Values(), a.Covariates()[0].Values, a.Times())
	}
	if !reflect.DeepEqual(b.Values(), []float64{5, 6, 7, 7.5, 8}) || !reflect.DeepEqual(b.Covariates()[0].Values, []float64{20, 21, 22, 23, 24}) ||
		!reflect.DeepEqual(b.FilledAt, []int{3}) {
		t.Errorf("b: values %v, temp %v, filled at %v; want the value at 3 filled", b.Values(), b.Covariates()[0].Values, b.FilledAt)
	}
	// What does not follow on is refused, and nothing is appended.
	for _, c := range []struct {
		later string
		want  error
	}{
		{"id,date,y,temp\na,2024-01-09,1,1\na,2024-01-10,1,1\n", ingest.ErrMissingColumn},                                // no series b
		{"id,date,y,temp\na,2024-01-04,1,1\na,2024-01-05,1,1\nb,2024-01-09,1,1\nb,2024-01-10,1,1\n", ingest.ErrUnsorted}, // a starts before its end
	} {
		before := train.Find("b").Len()
		err := train.AppendFrom(load(c.later), "later.csv")
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), "later.csv") {
			t.Errorf("AppendFrom(%q): error %v, want one wrapping %v naming the file", c.later, err, c.want)
		}
		if train.Find("b").Len() != before || train.Find("a").Len() != 4 {
			t.Errorf("a refused append changed the series")
		}
	}
}

// TestWideUnsortedNotedOnce: the columns of a wide file share its rows'
// order, which is noted once, not once a column.
func TestWideUnsortedNotedOnce(t *testing.T) {
	in := "date,load,temp\n2020-01-01,1,5\n2020-01-03,3,5\n2020-01-02,2,6\n2020-01-04,4,7\n"
	d, err := ingest.LoadAll(strings.NewReader(in), ingest.Options{Name: "wide.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var sorted []string
	for _, n := range d.Notes {
		if strings.Contains(n, "out of time order") {
			sorted = append(sorted, n)
		}
	}
	if len(d.Series) != 2 || len(sorted) != 1 {
		t.Errorf("%d series, notes of the order %q: want 2 series, one note", len(d.Series), sorted)
	}
}
