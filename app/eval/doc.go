// Command eval reruns the evaluation protocols of DESIGN.md §5 on the public
// datasets and prints one table: for each dataset, horizon and metric, the
// GRU of package forecast beside the naive and seasonal naive forecasts and
// the published figure.
//
//	go run ./app/eval -data ../shared/data
package main
