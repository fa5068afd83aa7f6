# Writes a set of series of the evaluation as CSV files (date,y) into the
# directory given: "heldout", the held-out series of R's datasets and
# forecast packages, "dev", the development set of R's AER, tseries,
# MASS and datasets packages, or "fresh", a third set of R's datasets, AER
# and tseries packages in neither. Exits with status 3, naming the package,
# if one the set reads is not installed.
# Usage: Rscript series.R heldout|dev|fresh DIR
args <- commandArgs(trailingOnly = TRUE)
set <- args[1]
dir <- args[2]
needs <- if (set == "dev") c("forecast", "AER", "tseries", "MASS") else if (set == "fresh") c("forecast", "AER", "tseries") else "forecast"
for (p in needs) {
  if (!requireNamespace(p, quietly = TRUE)) {
    cat("R's package", p, "is not installed\n")
    quit(status = 3)
  }
}
suppressMessages(library(forecast))
if (set == "heldout") {
  sets <- list(nottem = nottem, UKDriverDeaths = UKDriverDeaths, ldeaths = ldeaths,
    USAccDeaths = USAccDeaths, co2 = co2, wineind = wineind, gas = gas,
    Seatbelts_front = Seatbelts[, "front"], UKgas = UKgas, JohnsonJohnson = JohnsonJohnson,
    woolyrnq = woolyrnq, austres = austres, Nile = Nile, lynx = lynx, BJsales = BJsales,
    WWWusage = WWWusage, LakeHuron = LakeHuron, nhtemp = nhtemp, sunspot_year = sunspot.year,
    discoveries = discoveries, treering = window(treering, start = 1800))
} else if (set == "fresh") {
  e <- environment()
  data("PepperPrice", "FrozenJuice", "USMacroSWM", "USMacroG", "USMacroSW", "UKInflation", "OrangeCounty",
    "USMacroB", "USMoney", "ChinaIncome", "TechChange", "USConsump1993", "USGasB", "MarkDollar",
    package = "AER", envir = e)
  data("tcm", "USeconomic", "NelPlo", package = "tseries", envir = e)
  sets <- list(Seatbelts_DriversKilled = Seatbelts[, "DriversKilled"], Seatbelts_VanKilled = Seatbelts[, "VanKilled"],
    PepperPrice_white = PepperPrice[, "white"], FrozenJuice_ppi = FrozenJuice[, "ppi"], tcm10y = tcm[, "tcm10y"],
    USMacroSWM_cpi = window(USMacroSWM[, "cpi"], start = 1980),
    USMacroSWM_expenditure = window(USMacroSWM[, "expenditure"], start = 1980),
    USMacroG_invest = USMacroG[, "invest"], USMacroG_cpi = USMacroG[, "cpi"], USMacroG_tbill = USMacroG[, "tbill"],
    USMacroSW_ffrate = USMacroSW[, "ffrate"], USMacroSW_gbpusd = USMacroSW[, "gbpusd"], USeconomic_rl = USeconomic[, "rl"],
    UKInflation_actual = UKInflation[, "actual"], OrangeCounty_gnp = OrangeCounty[, "gnp"], USMacroB_mbase = USMacroB[, "mbase"],
    USMoney_deflator = USMoney[, "deflator"],
    lh = lh, ChinaIncome_agriculture = ChinaIncome[, "agriculture"], ChinaIncome_industry = ChinaIncome[, "industry"],
    TechChange_output = TechChange[, "output"], USConsump1993_expenditure = USConsump1993[, "expenditure"],
    USGasB_gas = USGasB[, "gas"], MarkDollar = MarkDollar, BJsales_lead = BJsales.lead,
    NelPlo_vel = na.omit(NelPlo[, "vel"]),
    # The last 500 trading days of the DAX, counted as steps from year 1.
    EuStockMarkets_DAX = ts(tail(as.numeric(EuStockMarkets[, "DAX"]), 500)))
} else {
  e <- environment()
  data("DutchSales", "FrozenJuice", "PepperPrice", "USMacroSWM", "UKNonDurables", "ArgentinaCPI",
    "USProdIndex", "USMacroG", "GermanUnemployment", "OrangeCounty", "MotorCycles2", "ConsumerGood",
    "USMoney", package = "AER", envir = e)
  data("nino", "tcm", "USeconomic", "NelPlo", "bev", package = "tseries", envir = e)
  yearly <- function(x) na.omit(x)
  sets <- list(mdeaths = mdeaths, fdeaths = fdeaths, DutchSales = DutchSales,
    FrozenJuice_price = FrozenJuice[, "price"], PepperPrice_black = PepperPrice[, "black"],
    USMacroSWM_production = USMacroSWM[, "production"], nino3 = nino[, "nino3"], tcm1y = tcm[, "tcm1y"],
    Seatbelts_rear = Seatbelts[, "rear"], Seatbelts_kms = Seatbelts[, "kms"],
    Seatbelts_petrol = Seatbelts[, "PetrolPrice"], sunspot_month = window(sunspot.month, start = 1950),
    UKNonDurables = UKNonDurables, ArgentinaCPI = ArgentinaCPI, USProdIndex = USProdIndex[, 1],
    USMacroG_gdp = USMacroG[, "gdp"], USMacroG_unemp = USMacroG[, "unemp"], USeconomic_rs = USeconomic[, "rs"],
    GermanUnemployment = GermanUnemployment[, 1], OrangeCounty_emp = OrangeCounty[, 1], USMoney_m = USMoney[, 1],
    NelPlo_cpi = yearly(NelPlo[, "cpi"]), NelPlo_ip = yearly(NelPlo[, "ip"]),
    NelPlo_gnpreal = yearly(NelPlo[, "gnp.real"]), NelPlo_unemp = yearly(NelPlo[, "unemp"]),
    NelPlo_stock = yearly(NelPlo[, "stock.prices"]), NelPlo_money = yearly(NelPlo[, "money.stock"]),
    NelPlo_int = yearly(NelPlo[, "int.rate"]), NelPlo_realwages = yearly(NelPlo[, "real.wages"]),
    bev = bev, MotorCycles2 = MotorCycles2, ConsumerGood = ConsumerGood[, 1])
}
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
