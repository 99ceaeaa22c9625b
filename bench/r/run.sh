#!/usr/bin/env bash
# Makes R's reference forecasts for the backtest calibration (see bench/r/stlf-reference.R):
# exports every 5-minute shared trace, then runs R on them, one trace per core. Needs R with the
# `forecast` package (Debian: apt-get install r-cran-forecast); about 15 minutes on 2 cores.
# Then `npm run bench backtest` adds the R references to its calibration section.
set -euo pipefail
cd "$(dirname "$0")/../.."
in=bench/results/r-input
out=bench/results/r-reference
npx tsx bench/r-export.ts "$in"
ls "$in" | xargs -P "$(nproc)" -I{} Rscript bench/r/stlf-reference.R "$in" "$out" {}
