# Reference forecasts from R's `forecast` package for the backtest calibration (optional: the
# project never depends on R). For each exported trace it makes the forecasts the backtest's
# predictive floor asks for: one per decision, on the trailing history the replay gives it, and
# writes point forecasts and upper bounds for stlf (method "ets") and snaive.
#
#   Rscript bench/r/stlf-reference.R IN_DIR OUT_DIR [TRACE_GLOB]
#
# IN_DIR holds `<trace>.txt` files written by bench/r-export.ts: a `#key …` line (copied as the
# output's first line, so the benchmark can tell a stale output), a line
# `first every history horizon period` (steps), then the trace's grid values, one per line.
# Each output `<trace>.csv` has, after that key line, rows `decision,kind,v1..vH` with kind one of
# stlf_mean, stlf_hi80, stlf_hi90, snaive_mean, snaive_hi80, snaive_hi90 (hiNN: upper limit of
# R's NN % prediction interval, i.e. its (50 + NN/2) % quantile). A decision R cannot forecast
# (stlf needs more than two periods, snaive's interval more than one) has no rows for that method.
# The output is written to `<trace>.csv.part` and renamed when complete.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
in_dir <- args[[1]]; out_dir <- args[[2]]
pattern <- if (length(args) >= 3) args[[3]] else "*.txt"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
for (file in Sys.glob(file.path(in_dir, pattern))) {
  key <- readLines(file, n = 1)
  head <- scan(file, skip = 1, nlines = 1, quiet = TRUE)
  spec <- list(first = head[1], every = head[2], history = head[3], horizon = head[4], period = head[5],
               values = scan(file, skip = 2, quiet = TRUE))
  name <- sub("\\.txt$", "", basename(file))
  out <- file.path(out_dir, paste0(name, ".csv"))
  con <- file(paste0(out, ".part"), "w")
  writeLines(key, con)
  decisions <- seq(spec$first, length(spec$values) - 1, by = spec$every)
  started <- Sys.time()
  for (d in decisions) {
    from <- max(0, d - spec$history)
    x <- ts(spec$values[(from + 1):d], frequency = spec$period)
    row <- function(kind, v) writeLines(paste(c(d, kind, sprintf("%.10g", as.numeric(v))), collapse = ","), con)
    if (length(x) > 2 * spec$period) {  # stl needs more than two periods
      f <- tryCatch(stlf(x, h = spec$horizon, method = "ets", level = c(80, 90)), error = function(e) {
        message(sprintf("%s: decision %d: stlf failed: %s", name, d, conditionMessage(e))); NULL
      })
      if (!is.null(f)) { row("stlf_mean", f$mean); row("stlf_hi80", f$upper[, 1]); row("stlf_hi90", f$upper[, 2]) }
    }
    if (length(x) > spec$period) {  # snaive's interval needs a residual: more than one period
      s <- snaive(x, h = spec$horizon, level = c(80, 90))
      if (all(is.finite(c(s$mean, s$upper)))) {
        row("snaive_mean", s$mean); row("snaive_hi80", s$upper[, 1]); row("snaive_hi90", s$upper[, 2])
      }
    }
  }
  close(con)
  file.rename(paste0(out, ".part"), out)
  cat(sprintf("%s: %d decisions in %.0f s\n", name, length(decisions), as.numeric(Sys.time() - started, units = "secs")))
}
