#!/usr/bin/env bash
# Benchmark: what progress reporting costs. The 1 GiB file of bench/run.sh, downloaded by a DownloadSession (the
# engine under the PowerShell job), six times per run, with progress off, every second and every 10 ms.
#   bench/progress-overhead.sh [ROUNDS]   (default 12: twice each of the six orders)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-12}
bench_install
[ -f "$WORK/www/big.bin" ] || head -c $((1024 * 1024 * 1024)) /dev/urandom > "$WORK/www/big.bin"
bench_nginx
dotnet build "$BENCH_ROOT/bench/ProgressOverhead" -c Release -v q -nologo >/dev/null
# On tmpfs when there is one: the question is what progress costs, and disk writeback would drown it in noise.
PROGRESS_DIR=$([ -d /dev/shm ] && echo /dev/shm/downloader-progress || echo "$WORK/progress")
mkdir -p "$PROGRESS_DIR"
dotnet "$BENCH_ROOT/bench/ProgressOverhead/bin/Release/net10.0/ProgressOverhead.dll" \
  "http://127.0.0.1:$PORT/big.bin" "$PROGRESS_DIR" "$ROUNDS"
rm -rf /dev/shm/downloader-progress
