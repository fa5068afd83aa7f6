# R's forecast package (Hyndman) at given origins: auto.arima, ets, thetaf
# and snaive, the reference statisticians reach for.
# Usage: Rscript classical.R VALUES_FILE SEASON HORIZON ORIGIN[,ORIGIN...]
# VALUES_FILE holds one number a line. For each origin o (the number of
# values observed), each model is fitted on the first o values and prints
# "model,origin,seconds,f1,...,fH" on standard output (NA where it fails).
suppressMessages(library(forecast))
a <- commandArgs(trailingOnly = TRUE)
y <- scan(a[1], quiet = TRUE)
m <- as.integer(a[2])
h <- as.integer(a[3])
origins <- as.integer(strsplit(a[4], ",")[[1]])
for (o in origins) {
  x <- ts(y[1:o], frequency = max(m, 1))
  fits <- list(
    arima = function() forecast(auto.arima(x), h = h)$mean,
    ets = function() forecast(ets(x), h = h)$mean,
    theta = function() thetaf(x, h = h)$mean,
    snaive = function() snaive(x, h = h)$mean
  )
  for (name in names(fits)) {
    t0 <- proc.time()[["elapsed"]]
    f <- tryCatch(as.numeric(fits[[name]]()), error = function(e) rep(NA, h))
    el <- proc.time()[["elapsed"]] - t0
    cat(name, o, sprintf("%.6f", el), paste(sprintf("%.10g", f), collapse = ","), sep = ",")
    cat("\n")
  }
}
