#!/usr/bin/env bash
# Benchmark (issue 26): every figure of the issue's goals for lists of small files, in ONE run, against curl in the
# same run; nginx on loopback, the CLI published ReadyToRun, the module published and hosted by bench/ModulePipeline.
#   cpu     user+sys seconds per 1,000 files, 4 KiB and 64 KiB files into tmpfs: curl, the CLI, the module (its
#           hosted pipeline less the same host and strings without the module, so the host's start-up is not counted)
#   wall    the CLI against curl: 2000 x 64 KiB and 100,000 x 4 KiB, into tmpfs and onto the disk (after a sync), and
#           onto the disk right after the other tool's 100,000-file run (no sync: its writeback still under way)
#   card    `$urls | Start-Download -Threads 10` in real pwsh 7.6.10 (`dotnet tool run pwsh`) against a sequential
#           `foreach { Invoke-WebRequest -OutFile }` and `ForEach-Object -Parallel { Invoke-WebRequest } -ThrottleLimit
#           10`, the same 2000 URLs of 64 KiB, one pwsh each, in the same run (bench/design-card.ps1)
#   cli-aot the CLI compiled ahead of time (Native AOT), beside the ReadyToRun CLI on tmpfs, when it can be built
#   memory  the CLI's peak RSS at 100,000 URLs; what the module adds to its host at 100,000 URLs (peak RSS of the
#           hosted pipeline with progress on, less the host alone)
#   big     (full runs only) bench/run.sh 3: 1 GiB unthrottled and 256 MiB throttled against aria2c
#   bench/perf.sh [--quick]     --quick: smaller counts (2000 / 500 / 5,000 / 300), for development
# tmpfs: BENCH_TMPFS if set, else a tmpfs of 2 GiB mounted under the scratch folder (root), else /dev/shm. The disk: the
# scratch folder (BENCH_WORK, default bench/.scratch). Every command runs under a timeout. Rows are appended to
# bench/results/DATE-perf.tsv; bench/perf_summary.py prints the tables and the ratios.
set -euo pipefail
MODE=full
[ "${1:-}" = --quick ] && MODE=quick
if [ -z "${BENCH_PORT:-}" ]; then
  BENCH_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export BENCH_PORT
fi
source "$(dirname "$0")/lib.sh"
if [ $MODE = quick ]; then
  CPU4=2000 CPU64=500 SMALL=500 HK=5000 CARD=300
else
  CPU4=20000 CPU64=5000 SMALL=2000 HK=100000 CARD=2000
fi
LIMIT=${BENCH_TIMEOUT:-300} # seconds, for any one command
RESULTS=${BENCH_RESULTS:-$BENCH_ROOT/bench/results/$(date -u +%F)-perf.tsv}

bench_install
mkdir -p "$WORK/www/many"
make_body() { # file size
  [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -eq "$2" ] || head -c "$2" /dev/urandom > "$1"
}
make_body "$WORK/www/many/one.bin" 4096
make_body "$WORK/www/many/one64.bin" 65536
bench_nginx

# tmpfs, bounded in size, removed at the end.
TMPFS=${BENCH_TMPFS:-}
MOUNTED=
if [ -z "$TMPFS" ]; then
  TMPFS="$WORK/tmpfs"
  mkdir -p "$TMPFS"
  if mount -t tmpfs -o size=2g tmpfs "$TMPFS" 2>/dev/null; then
    MOUNTED=1
  else
    TMPFS=$(mktemp -d /dev/shm/downloader-bench.XXXXXX)
  fi
fi
DISK="$WORK/perf-runs"
cleanup() {
  nginx -c "$WORK/nginx.conf" -s stop >/dev/null 2>&1 || true
  if [ -n "$MOUNTED" ]; then umount "$TMPFS" 2>/dev/null || true; else rm -rf "${TMPFS:?}"/run-* 2>/dev/null || true; fi
  case $TMPFS in /dev/shm/downloader-bench.*) rm -rf "$TMPFS" ;; esac
}
trap cleanup EXIT

echo "building the CLI (ReadyToRun, then Native AOT), the module and bench/ModulePipeline; restoring pwsh..." >&2
bench_cli_aot
bench_cli
bench_module
PWSH=(dotnet tool run pwsh -NoProfile -NonInteractive)
(cd "$BENCH_ROOT" && dotnet tool restore >/dev/null && dotnet tool run pwsh -Version >/dev/null 2>&1) || PWSH=()

# lists: NAME.txt (one URL a line) and NAME.curl (url/output pairs) of COUNT files of 4 or 64 KiB
make_list() { # name count kib
  local path=many
  [ "$3" = 64 ] && path=many64
  seq 1 "$2" | sed "s|.*|http://127.0.0.1:$PORT/$path/u&.bin|" > "$WORK/$1.txt"
  seq 1 "$2" | sed "s|.*|url = \"http://127.0.0.1:$PORT/$path/u&.bin\"\noutput = \"u&.bin\"|" > "$WORK/$1.curl"
}
make_list cpu4 "$CPU4" 4
make_list cpu64 "$CPU64" 64
make_list small "$SMALL" 64
make_list hk "$HK" 4
make_list card "$CARD" 64

[ -f "$RESULTS" ] || printf 'run_utc\tcommit\tload1\tmode\tsection\tstorage\tcount\tkib\ttool\tmetric\tvalue\n' > "$RESULTS"
RUN=$(bench_run_id)
RUN_UTC=${RUN%%$'\t'*}
record() { # section storage count kib tool metric value
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$RUN" "$MODE" "$1" "$2" "$3" "$4" "$5" "$6" "$7" >> "$RESULTS"
}

rm -rf "$DISK"
mkdir -p "$DISK"
SEQ=0
FOLDER=
folder() { # storage: FOLDER becomes a fresh empty folder there (no subshell, so SEQ counts)
  SEQ=$((SEQ + 1))
  if [ "$1" = tmpfs ]; then FOLDER="$TMPFS/run-$SEQ"; else FOLDER="$DISK/run-$SEQ"; fi
  mkdir -p "$FOLDER"
}
quiet_disk() {
  timeout 120 sync || echo "  sync took more than 120 s; going on" >&2
}

# one SECTION STORAGE LIST COUNT KIB TOOL: runs TOOL on the list into a fresh folder, records wall, peak RSS and CPU,
# and counts the complete files. Folders on tmpfs are removed at once; the disk's stay until the end, so no run pays
# for the deletion of an earlier one.
one() {
  local section=$1 storage=$2 list=$3 count=$4 kib=$5 tool=$6 dir secs rss user sys done
  folder "$storage"
  dir=$FOLDER
  local cmd
  case $tool in
    curl) cmd=(curl --no-progress-meter --parallel --parallel-max 16 --output-dir "$dir" -K "$WORK/$list.curl") ;;
    cli) cmd=("$CLI" -i "$WORK/$list.txt" -d "$dir" -j 16 -q) ;;
    cli-aot) cmd=("$CLI_AOT" -i "$WORK/$list.txt" -d "$dir" -j 16 -q) ;;
    module | baseline)
      local mode=progress
      [ "$tool" = baseline ] && mode=baseline
      cmd=(sh -c "exec dotnet '$MODULE_PIPELINE' $mode '$WORK/$list.txt' '$dir' '$MODULE_MANIFEST' > '$WORK/module.txt'") ;;
  esac
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" timeout -k 10 "$LIMIT" "${cmd[@]}" || echo "  $tool exited with $?" >&2
  read -r secs rss user sys < <(tail -n 1 "$WORK/time.txt")
  record "$section" "$storage" "$count" "$kib" "$tool" seconds "$secs"
  record "$section" "$storage" "$count" "$kib" "$tool" rss_kib "$rss"
  record "$section" "$storage" "$count" "$kib" "$tool" cpu_s "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
  if [ "$tool" = module ] || [ "$tool" = baseline ]; then
    local vm
    vm=$(tr '\t' '\n' < "$WORK/module.txt" | sed -n 's/^vmhwm_kib=//p')
    record "$section" "$storage" "$count" "$kib" "$tool" vmhwm_kib "${vm:-0}"
  fi
  done=0
  [ "$tool" = baseline ] || done=$(find "$dir" -maxdepth 1 -type f -name 'u*.bin' -size "$((kib * 1024))c" | wc -l)
  record "$section" "$storage" "$count" "$kib" "$tool" completed "$done"
  echo "  $section $storage $count x ${kib} KiB $tool: ${secs}s, RSS ${rss} KiB, CPU ${user}+${sys}s, $done complete" >&2
  [ "$storage" = tmpfs ] && rm -rf "$dir"
  return 0
}

echo "cpu: $CPU4 x 4 KiB and $CPU64 x 64 KiB into tmpfs" >&2
AOT=
[ -n "$CLI_AOT" ] && AOT=cli-aot
for tool in curl cli $AOT module baseline; do one cpu tmpfs cpu4 "$CPU4" 4 $tool; done
for tool in baseline module $AOT cli curl; do one cpu tmpfs cpu64 "$CPU64" 64 $tool; done

echo "wall: $SMALL x 64 KiB and $HK x 4 KiB, the CLI against curl" >&2
for tool in curl cli $AOT $AOT cli curl; do one wall tmpfs small "$SMALL" 64 $tool; done
for tool in cli $AOT curl; do one wall tmpfs hk "$HK" 4 $tool; done
for tool in curl cli cli curl; do quiet_disk; one wall disk small "$SMALL" 64 $tool; done
quiet_disk
one wall disk hk "$HK" 4 cli
quiet_disk
one wall disk hk "$HK" 4 curl
# right after the other's run of as many files, no sync: curl's writeback is under way when the CLI starts, and the CLI's
# when curl starts
one wall disk-busy hk "$HK" 4 cli
one wall disk-busy hk "$HK" 4 curl

echo "memory: the module at $HK URLs, and its host alone" >&2
one memory tmpfs hk "$HK" 4 module
one memory tmpfs hk "$HK" 4 baseline

if [ ${#PWSH[@]} -gt 0 ]; then
  echo "card: $CARD x 64 KiB in pwsh 7.6.10" >&2
  for mode in card iwr parallel card; do
    folder tmpfs
    dir=$FOLDER
    out=$(cd "$BENCH_ROOT" && timeout -k 10 "$LIMIT" "${PWSH[@]}" -File "$BENCH_ROOT/bench/design-card.ps1" -Mode $mode \
      -List "$WORK/card.txt" -Dir "$dir" -Manifest "$MODULE_MANIFEST" 2> "$WORK/card.err" | tail -n 1) || echo "  pwsh $mode exited with $?" >&2
    secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<< "$out")
    files=$(sed -n 's/.*files=\([0-9]*\).*/\1/p' <<< "$out")
    record card tmpfs "$CARD" 64 "$mode" seconds "${secs:-0}"
    record card tmpfs "$CARD" 64 "$mode" completed "${files:-0}"
    echo "  card $mode: ${secs:-?}s, ${files:-?} files" >&2
    rm -rf "$dir"
  done
else
  echo "card: pwsh 7.6.10 not available (dotnet tool restore failed); skipped" >&2
fi

echo >&2
python3 "$BENCH_ROOT/bench/perf_summary.py" "$RESULTS" "$RUN_UTC"
echo "removing the downloaded files..." >&2
rm -rf "$DISK"
timeout 120 sync || true

# Big files hold their lead (the issue's last goal): bench/run.sh's 1 GiB unthrottled and 256 MiB throttled per
# connection against aria2c, time and peak RSS, in the same run; its own scratch folder and port, so its nginx is apart.
if [ $MODE = full ]; then
  echo >&2
  BENCH_WORK="$WORK/big" BENCH_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
    timeout 900 bash "$BENCH_ROOT/bench/run.sh" 3
fi
