// Package render writes what the forecast command's use cases return, for
// people and for programs: the lines fit, predict and backtest print as
// they go, forecasts with their intervals, score tables, model versions,
// inspect's statistics, batch progress and dry-run plans, and the CSV and
// JSON forms of stored forecasts, accuracy and backtests.
//
// The functions take the typed results of packages forecast, ingest, store
// and app/pipeline and write them to an io.Writer or return them as a
// string; none reads flags or decides anything, so that package app is left
// with the command line: flags, calls into app/pipeline, and exit codes.
// The tables escape the control characters of names from the data (cell),
// so that a series called "\x1b[2J" cannot clear the terminal.
package render
