// Command forecast forecasts time series with a stacked GRU and keeps every
// model version and forecast in SQLite. Run "forecast --help" for the commands.
package main
