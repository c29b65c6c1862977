#!/usr/bin/env bash
# Runs every criterion benchmark of the workspace (release, `bench` profile) and prints one
# markdown table comparing our codecs with their peers; the table also goes to BENCHMARKS.md,
# under a header naming the machine.
#
# Usage:
#   scripts/bench.sh                  full run (criterion defaults: 3 s warm-up, 5 s measurement)
#   scripts/bench.sh --quick          smoke run (criterion --quick: stops once the estimate is stable)
#   scripts/bench.sh --report-only    no run; tabulate whatever target/criterion holds
#   scripts/bench.sh [...] -- ARGS    extra ARGS for criterion, e.g. `-- lines_` to run only the
#                                     benchmarks whose id contains `lines_`
#   JOBS=4 scripts/bench.sh           build with 4 jobs (default 2)
#
# Id convention, which every bench file of the workspace follows:
#   - a criterion group compares implementations of one task on the same input bytes, with
#     Throughput set (Throughput::Bytes lets the table show our throughput);
#   - benchmark ids inside a group are `<who>/<case>` (BenchmarkId::new(who, case), or the string
#     "who/case" given to bench_function);
#   - `who` starting with `ours` is our code (`ours`, `ours-bytes`, `ours-utf8`, ...); any other
#     `who` is a peer (`tokio-util`, `httparse`, `hickory-proto`, ...) or a baseline (`memcpy`, `a-records`);
#   - each `ours*/<case>` is paired with every non-ours `<who>/<case>` of the same group and case.
#     ratio = peer time / our time, so > 1 means we are faster. Target: >= 1.0 for a peer,
#     >= 0.5 for the `memcpy` baseline (we must run at no less than half a memcpy's speed) and for
#     the `memchr` baseline of smtp-codec's DATA and pop3-codec's RETR benches (one memchr call per
#     line), >= 1/3 for
#     the `a-records` baseline of dns-codec (a message of NSEC type bitmaps at most 3 times the cost
#     of as many octets of A records).
#     A case with no peer gets a row with no ratio. The verdict is "within noise" when the ratio's
#     range (from the 95% confidence intervals of both means) straddles the target or the ratio is
#     within 3% of it (back-to-back runs differ by that much), else "ok" or "below".
# Times are criterion's mean point estimates (target/criterion/<group>/<id>/new/estimates.json).
# Only results written by this run are reported (unless --report-only), so stale benchmarks that
# no longer exist do not show up. Rows are in the order they ran.
set -euo pipefail

cd "$(dirname "$0")/.."

quick=0
report_only=0
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --report-only) report_only=1 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

jobs="${JOBS:-2}"
start="$(date +%s)"

if [ "$report_only" = 0 ]; then
    if pgrep -x rustc >/dev/null 2>&1 || pgrep -x cc1 >/dev/null 2>&1; then
        echo "bench.sh: warning: a compiler is running on this machine; timings will be noisy" >&2
    fi
    criterion_args=(--noplot)
    if [ "$quick" = 1 ]; then
        criterion_args+=(--quick --warm-up-time 1)
    fi
    # `--bench '*'` selects the criterion bench targets only: the libtest harness of lib targets
    # would reject criterion's options.
    cargo bench --workspace -j"$jobs" --bench '*' --no-run
    cargo bench --workspace -j"$jobs" --bench '*' -- "${criterion_args[@]}" ${extra[@]+"${extra[@]}"}
fi

target_dir="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

export BENCH_CRITERION_DIR="$target_dir/criterion"
export BENCH_SINCE="$([ "$report_only" = 1 ] && echo 0 || echo "$start")"
export BENCH_NPROC="$(nproc)"
export BENCH_CPU="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
export BENCH_RUSTC="$(rustc --version)"
export BENCH_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
export BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
export BENCH_MODE="$([ "$quick" = 1 ] && echo 'quick (criterion --quick)' || echo 'full (criterion defaults)')"
export BENCH_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
export BENCH_OUT="BENCHMARKS.md"

python3 - <<'PY'
import json
import os
import sys

root = os.environ["BENCH_CRITERION_DIR"]
since = float(os.environ["BENCH_SINCE"])
# peer name -> minimum ratio; any other peer: 1.0. `a-records` is dns-codec decoding A records,
# the baseline a message of as many octets of NSEC type bitmaps may cost at most 3 times.
BASELINE_TARGETS = {"memcpy": 0.5, "memchr": 0.5, "a-records": 1 / 3}
NOISE = 0.03  # a ratio within 3% of its target is a tie: runs on one machine differ by that much


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_rate(bytes_per_ns):
    per_s = bytes_per_ns * 1e9
    for unit, scale in (("GiB/s", 2**30), ("MiB/s", 2**20), ("KiB/s", 2**10), ("B/s", 1)):
        if per_s >= scale or unit == "B/s":
            x = per_s / scale
            return f"{x:.0f} {unit}" if x >= 100 else f"{x:.3g} {unit}"


# (group, who, case) -> (mean ns, throughput bytes or None, mtime, (95% CI low, high))
results = {}
for dirpath, dirnames, filenames in os.walk(root):
    if os.path.basename(dirpath) != "new":
        continue
    if "benchmark.json" not in filenames or "estimates.json" not in filenames:
        continue
    est_path = os.path.join(dirpath, "estimates.json")
    mtime = os.path.getmtime(est_path)
    if mtime < since:
        continue
    with open(os.path.join(dirpath, "benchmark.json")) as f:
        bench = json.load(f)
    with open(est_path) as f:
        est = json.load(f)["mean"]
    mean = est["point_estimate"]
    ci = est.get("confidence_interval") or {}
    bounds = (ci.get("lower_bound", mean), ci.get("upper_bound", mean))
    full = "/".join(p for p in (bench.get("function_id"), bench.get("value_str")) if p)
    who, _, case = full.partition("/")
    throughput = (bench.get("throughput") or {}).get("Bytes")
    results[(bench["group_id"], who, case)] = (mean, throughput, mtime, bounds)

if not results:
    sys.exit(f"bench.sh: no criterion results under {root}")

# Groups and cases in the order they ran.
first_seen = {}
for (group, who, case), (_, _, mtime, _) in results.items():
    for key in ((group,), (group, case)):
        first_seen[key] = min(first_seen.get(key, mtime), mtime)
cases = sorted({(g, c) for (g, _, c) in results}, key=lambda gc: (first_seen[(gc[0],)], first_seen[gc]))

rows = []
for group, case in cases:
    whos = sorted((w for (g, w, c) in results if g == group and c == case),
                  key=lambda w: results[(group, w, case)][2])
    ours = [w for w in whos if w.startswith("ours")]
    peers = [w for w in whos if not w.startswith("ours")]
    pairs = [(o, p) for o in ours for p in peers] or [(o, None) for o in ours] or [(None, p) for p in peers]
    for o, p in pairs:
        o_ns, o_tp, _, o_ci = results[(group, o, case)] if o else (None, None, None, None)
        p_ns, _, _, p_ci = results[(group, p, case)] if p else (None, None, None, None)
        ratio = target = verdict = "—"
        if o_ns and p_ns:
            r = p_ns / o_ns
            # The ratio's range from the two 95% confidence intervals of the means.
            lo, hi = p_ci[0] / o_ci[1], p_ci[1] / o_ci[0]
            t = BASELINE_TARGETS.get(p, 1.0)
            ratio, target = f"{r:.2f}x ({lo:.2f}–{hi:.2f})", f">= {t:g}x"
            if abs(r / t - 1) < NOISE or lo < t <= hi:
                verdict = "within noise"
            else:
                verdict = "ok" if r >= t else "**below**"
        rows.append([
            f"{group}/{case}",
            o or "—",
            p or "—",
            fmt_time(o_ns) if o_ns else "—",
            fmt_rate(o_tp / o_ns) if o_ns and o_tp else "—",
            fmt_time(p_ns) if p_ns else "—",
            ratio,
            target,
            verdict,
        ])

head = ["benchmark", "ours", "peer", "our time", "our throughput", "peer time",
        "ratio peer/ours (95% CI)", "target", "verdict"]
table = "\n".join(
    "| " + " | ".join(r) + " |"
    for r in [head, ["---"] * 3 + ["---:"] * 4 + ["---"] * 2] + rows
)
print(table)

env = os.environ
doc = f"""# Benchmarks

Generated by `scripts/bench.sh`: criterion mean times, our codecs side by side with their peers
on the same input bytes. ratio = peer time / our time, so above 1 means we are faster (in
brackets: the ratio's range from both means' 95% confidence intervals); the `memcpy` rows compare
with a plain copy of the same bytes. What each group measures: the doc comment of its bench file
(`framing/benches/framing.rs`, ...).

- machine: {env['BENCH_NPROC']} CPUs, {env['BENCH_CPU']}
- load average at the start: {env['BENCH_LOAD']}
- {env['BENCH_RUSTC']}
- commit {env['BENCH_COMMIT']}, {env['BENCH_DATE']}
- mode: {env['BENCH_MODE']}

{table}
"""
with open(env["BENCH_OUT"], "w") as f:
    f.write(doc)
print(f"\n(written to {env['BENCH_OUT']})", file=sys.stderr)
PY
