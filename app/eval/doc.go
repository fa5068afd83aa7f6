// Command eval reruns the evaluation protocols documented in package
// forecast on the public datasets of testdata/data and prints one table:
// for each dataset, horizon and metric, the GRU of package forecast beside
// the naive and seasonal naive forecasts and the published figure.
//
//	go run ./app/eval -data testdata/data    (what make eval runs)
package main
