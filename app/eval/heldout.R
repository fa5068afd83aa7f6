# Writes the held-out series of the evaluation, from R's datasets and
# forecast packages, as CSV files (date,y) into the directory given.
# Usage: Rscript heldout.R DIR
suppressMessages(library(forecast))
dir <- commandArgs(trailingOnly = TRUE)[1]
sets <- list(nottem = nottem, UKDriverDeaths = UKDriverDeaths, ldeaths = ldeaths,
  USAccDeaths = USAccDeaths, co2 = co2, wineind = wineind, gas = gas,
  Seatbelts_front = Seatbelts[, "front"], UKgas = UKgas, JohnsonJohnson = JohnsonJohnson,
  woolyrnq = woolyrnq, austres = austres, Nile = Nile, lynx = lynx, BJsales = BJsales,
  WWWusage = WWWusage, LakeHuron = LakeHuron, nhtemp = nhtemp, sunspot_year = sunspot.year,
  discoveries = discoveries, treering = window(treering, start = 1800))
for (name in names(sets)) {
  x <- sets[[name]]
  f <- frequency(x)
  tt <- time(x)
  year <- floor(tt + 1e-9)
  period <- round((tt - year) * f)
  # Series without calendar years (BJsales, WWWusage) count years from 1.
  date <- sprintf("%04d-%02d-01", year, period * 12 / f + 1)
  write.csv(data.frame(date = date, y = as.numeric(x)), file.path(dir, paste0(name, ".csv")),
    row.names = FALSE, quote = FALSE)
}
