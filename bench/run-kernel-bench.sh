#!/usr/bin/env bash
# Builds worker-lib, driver and bench (package, no install) and runs a benchmark class (default KernelBench).
# Usage: bench/run-kernel-bench.sh [--class SgemmFlags] [KernelBench options...]
# Native BLAS is used when the system has one (Debian: apt-get install libopenblas0).
# OPENBLAS_NUM_THREADS defaults to 1 here (the benchmark is single-threaded, and Spark runs one
# task per core); OPENBLAS_CORETYPE, when set, is passed through.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cls=KernelBench
if [[ "${1:-}" == "--class" ]]; then cls="$2"; shift 2; fi
cd "$root"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -q -B -pl worker-lib,driver,spark-ml,bench -am package -DskipTests
fi
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
mapfile -t jvm_options < <(grep -v '^#' bin/jvm-options | grep -v '^$')
# Spark logs as bin/sparkmlp does (WARN; INFO lines per task would cost time in the step benches).
exec java -Xmx${BENCH_HEAP:-2g} -XX:+UseParallelGC "${jvm_options[@]}" \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" ${JAVA_OPTS:-} \
  -cp "bench/target/sparkmlp-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  "io.sparkmlp.bench.$cls" "$@"
