#!/usr/bin/env bash
# Runs the cargo-fuzz targets: scripts/fuzz.sh [TARGET] [SECONDS]  (default: every target, 60 s each)
#
# Stable toolchain with RUSTC_BOOTSTRAP=1 and -s none (the crates forbid unsafe code, so a
# sanitizer finds nothing that the Rust checks would not); each input capped at 10 s and 512 MiB.
# Hand-written seeds stay in fuzz/seeds/<target>/; new inputs land in fuzz/corpus/<target>/, which
# is then minimised with cmin. Crashes are saved by libFuzzer under fuzz/artifacts/<target>/:
# once fixed, commit each in fuzz/regressions/<target>/. Prints a summary table: target, seconds,
# executions, coverage, corpus files, result.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"

target="${1:-all}"
seconds="${2:-60}"
export RUSTC_BOOTSTRAP=1
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
# A failed nightly-feature probe is cached here; drop it so RUSTC_BOOTSTRAP takes effect.
rm -f target/.rustc_info.json

if [[ $target == all ]]; then
    mapfile -t targets < <(cargo fuzz list)
else
    targets=("$target")
fi

logdir=$(mktemp -d)
rows=()
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    log="$logdir/$t.log"
    echo "==> $t for ${seconds}s"
    cargo fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=512 -timeout=10 -print_final_stats=1 >"$log" 2>&1
    rc=$?
    result=ok
    ((rc != 0)) && { result="FAILED (rc $rc, see $log)"; status=1; }
    runs=$(grep -oP 'stat::number_of_executed_units:\s*\K\d+' "$log" | tail -1)
    cov=$(grep -oP '#\d+\s+DONE\s+cov: \K\d+' "$log" | tail -1)
    [[ -z $cov ]] && cov=$(grep -oP 'cov: \K\d+' "$log" | tail -1)
    if ((rc == 0)); then
        cargo fuzz cmin -s none "$t" "corpus/$t" >>"$log" 2>&1 || true
    fi
    corpus=$(find "corpus/$t" -type f | wc -l)
    rows+=("| $t | $seconds | ${runs:-?} | ${cov:-?} | $corpus | $result |")
done

echo
echo "| target | seconds | executions | coverage (edges) | corpus files | result |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "logs: $logdir"
exit $status
