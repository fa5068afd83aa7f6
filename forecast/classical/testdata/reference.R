# Reference values for the tests of package classical.
# Run from this directory: Rscript reference.R   (R 4.2.2, forecast 8.20)
suppressMessages(library(forecast))
options(digits = 17)
air <- ts(scan("airpassengers.txt", quiet = TRUE), frequency = 12)
births <- ts(scan("births100.txt", quiet = TRUE), frequency = 1)
show <- function(label, x) cat(label, paste(format(x, digits = 17), collapse = ", "), "\n")
cat("forecast", format(packageVersion("forecast")), R.version.string, "\n")
show("theta air mean:", thetaf(air, h = 12)$mean)
show("theta births mean:", thetaf(births, h = 10)$mean)
show("theta air[1:30] mean:", thetaf(ts(air[1:30], frequency = 12), h = 12)$mean)
for (spec in c("AAN", "MAM", "ANN", "MNM", "AAA")) {
  fit <- ets(air, model = spec, damped = FALSE)
  show(paste("ets air", spec, "par:"), fit$par)
  show(paste("ets air", spec, "loglik aicc:"), c(fit$loglik, fit$aicc))
  show(paste("ets air", spec, "mean:"), forecast(fit, h = 12)$mean)
}
fit <- ets(air, model = "MAM", damped = TRUE)
show("ets air MAdM par:", fit$par)
show("ets air MAdM loglik aicc:", c(fit$loglik, fit$aicc))
show("ets air MAdM mean:", forecast(fit, h = 12)$mean)
# forecast.ets gives class-3 models (M error, M season) the conditional mean,
# which for damped trends starts from l + b; the point forecasts
# (l + (phi + ... + phi^h) b) s from the final state are:
x <- fit$states[nrow(fit$states), ]
phistar <- cumsum(fit$par["phi"]^(1:12))
show("ets air MAdM point:", (x[1] + phistar * x[2]) * rev(x[3:14])[1:12])
fit <- ets(air)
cat("ets air auto:", fit$method, "\n")
show("ets air auto aicc:", fit$aicc)
fit <- ets(births)
cat("ets births auto:", fit$method, "\n")
show("ets births auto aicc:", fit$aicc)
fit <- ets(births, model = "ANN")
show("ets births ANN par:", fit$par)
show("ets births ANN loglik aicc:", c(fit$loglik, fit$aicc))
show("ets births ANN mean:", forecast(fit, h = 5)$mean)
fit <- ets(births, model = "AAN", damped = TRUE)
show("ets births AAdN par:", fit$par)
show("ets births AAdN loglik aicc:", c(fit$loglik, fit$aicc))
show("ets births AAdN mean:", forecast(fit, h = 5)$mean)
# ARIMA: conditional-sum-of-squares fits of fixed orders (coefficients in
# R's order: ar, sar, intercept or drift; sigma2 is stats::arima's CSS
# sum of squares over the residuals used), the differencing tests, and
# auto.arima's exhaustive search of the AR-only orders by CSS.
arimaRef <- function(label, x, order, seasonal = c(0, 0, 0), constant = FALSE) {
  fit <- Arima(x, order = order, seasonal = seasonal, include.constant = constant, method = "CSS")
  cat("arima", label, "name:", forecast:::arima.string(fit), "\n")
  show(paste("arima", label, "coef:"), coef(fit))
  show(paste("arima", label, "sigma2:"), fit$sigma2)
  show(paste("arima", label, "mean:"), forecast(fit, h = 12)$mean)
}
arimaRef("air 210 110", air, c(2, 1, 0), c(1, 1, 0))
arimaRef("air 100 110 drift", air, c(1, 0, 0), c(1, 1, 0), constant = TRUE)
arimaRef("births 210 drift", births, c(2, 1, 0), constant = TRUE)
arimaRef("births 300 mean", births, c(3, 0, 0), constant = TRUE)
kpss <- function(x) urca::ur.kpss(x, type = "mu", use.lag = trunc(3 * sqrt(length(x)) / 13))@teststat
show("kpss air, diff(air, 12), births, diff(births):",
     c(kpss(air), kpss(diff(air, lag = 12)), kpss(births), kpss(diff(births))))
show("nsdiffs air, ndiffs diff(air, 12), ndiffs births:",
     c(nsdiffs(air), ndiffs(diff(air, lag = 12)), ndiffs(births)))
for (name in c("air", "births")) {
  fit <- auto.arima(get(name), max.q = 0, max.Q = 0, max.P = 1, stepwise = FALSE,
                    approximation = FALSE, method = "CSS")
  cat("auto arima", name, "name:", forecast:::arima.string(fit), "\n")
  show(paste("auto arima", name, "mean:"), forecast(fit, h = 12)$mean)
}
