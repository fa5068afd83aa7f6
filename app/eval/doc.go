// Command eval reruns the evaluation protocols documented in package
// forecast on the public datasets of testdata/data and prints one table:
// for each dataset, horizon and metric, the GRU of package forecast beside
// the naive and seasonal naive forecasts and the published figure. Then,
// where R's forecast package is installed, the defaults against its
// auto.arima, ets and thetaf on six ordinary series, on 21 held-out series
// that R supplies, on the development set of 32 series of R's AER,
// tseries, MASS and datasets packages, and on a third set of 27 series of
// R's datasets, AER and tseries packages taken after every default was
// chosen (left out, saying why, without R or those packages).
//
//	go run ./app/eval -data testdata/data    (what make eval runs)
package main
