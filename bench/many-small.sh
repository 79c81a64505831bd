#!/usr/bin/env bash
# Benchmark (issue 12): 2000 files of 64 KiB from nginx on loopback, 16 at once, the downloader CLI (-j 16) against
# `curl --parallel --parallel-max 16 -K list` (one url/output pair per file) and, when installed, `aria2c -j16 -i
# list`, in the same run, the order rotating each round; first on a quiet machine, then with a busy neighbour.
#   bench/many-small.sh [ROUNDS]   (default 5 rounds in each condition)     ARIA2=0 leaves aria2c out.
# The neighbour: another process writing 2 GiB files to the same file system in a loop (`dd if=/dev/zero bs=1M
# count=2048`, no fsync, alternating two names), as a build or a backup would: plain writes that dirty the page
# cache and leave writeback to the kernel. Started before the first measured run of that condition, killed after
# the last; it writes throughout. With the neighbour, no `sync` precedes a run: its dirty pages are part of the
# conditions measured (quiet runs start from a synced disk).
# Output folders are fresh each run and removed only at the end: a run that follows a deletion of thousands of files
# pays for it (journal commits, and discards where the file system is mounted with online discard).
# Rows are appended to bench/results/2026-11-23-many-small.tsv; bench/summarize.py prints the medians.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}
COUNT=2000
RESULTS=${BENCH_RESULTS:-$BENCH_ROOT/bench/results/2026-11-23-many-small.tsv}
bench_install
mkdir -p "$WORK/www/small"
if [ "$(find "$WORK/www/small" -name '*.bin' -size 65536c | wc -l)" -ne $COUNT ]; then
  for i in $(seq 1 $COUNT); do head -c 65536 /dev/urandom > "$WORK/www/small/f$i.bin"; done
fi
bench_nginx
bench_cli
list="$WORK/small-list.txt"
seq 1 $COUNT | sed "s|.*|http://127.0.0.1:$PORT/small/f&.bin|" > "$list"
seq 1 $COUNT | sed "s|.*|url = \"http://127.0.0.1:$PORT/small/f&.bin\"\noutput = \"f&.bin\"|" > "$WORK/small-list.curl"
tools="curl downloader"
# aria2c when installed, unless ARIA2=0 (on a loaded machine it can take a minute a run)
if [ "${ARIA2:-1}" != 0 ] && command -v aria2c >/dev/null; then tools="$tools aria2c"; fi

[ -f "$RESULTS" ] || printf 'run_utc\tcommit\tload1\tcondition\tround\ttool\tmetric\tvalue\n' > "$RESULTS"
RUN=$(bench_run_id)
RUN_UTC=${RUN%%$'\t'*}
record() { # condition round tool metric value
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$RUN" "$1" "$2" "$3" "$4" "$5" >> "$RESULTS"
}

NEIGHBOUR=
neighbour_start() {
  rm -f "$WORK"/neighbour-*.bin
  : > "$WORK/neighbour.count"
  # Its own session, so that stopping it stops the dd it is running too.
  setsid bash -c 'i=0; while :; do
      dd if=/dev/zero of="$0/neighbour-$((i % 2)).bin" bs=1M count=2048 status=none
      echo 2048 >> "$0/neighbour.count"; i=$((i + 1))
    done' "$WORK" &
  NEIGHBOUR=$!
  NEIGHBOUR_T0=$(date +%s.%N)
  sleep 5 # under way: the page cache already holds its dirty pages when the first tool starts
}
neighbour_stop() {
  [ -n "$NEIGHBOUR" ] || return 0
  kill -- -"$NEIGHBOUR" 2>/dev/null || true
  wait "$NEIGHBOUR" 2>/dev/null || true
  NEIGHBOUR=
  local loops partial
  loops=$(wc -l < "$WORK/neighbour.count")
  partial=$(( $(stat -c %s "$WORK/neighbour-$((loops % 2)).bin" 2>/dev/null || echo 0) / 1048576 ))
  record neighbour all neighbour mib_written $((loops * 2048 + partial))
  record neighbour all neighbour seconds "$(awk -v a="$(date +%s.%N)" -v b="$NEIGHBOUR_T0" 'BEGIN { printf "%.1f", a - b }')"
  rm -f "$WORK"/neighbour-*.bin
}
trap 'neighbour_stop; nginx -c "$WORK/nginx.conf" -s stop >/dev/null 2>&1 || true' EXIT

runs="$WORK/runs"
rm -rf "$runs"
mkdir -p "$runs"
check() { # folder
  local n
  n=$(find "$1" -maxdepth 1 -name 'f*.bin' -size 65536c | wc -l)
  [ "$n" -eq $COUNT ] || { echo "bench: $1 holds $n complete files, expected $COUNT" >&2; exit 1; }
  cmp -s "$1/f$COUNT.bin" "$WORK/www/small/f$COUNT.bin" || { echo "bench: wrong bytes in $1" >&2; exit 1; }
}
one() { # condition tool round
  local dir="$runs/$1-$2-$3" secs rss
  mkdir -p "$dir"
  [ "$1" = neighbour ] || sync
  case $2 in
    downloader) set -- "$@" "$CLI" -i "$list" -d "$dir" -j 16 -q ;;
    aria2c) set -- "$@" aria2c -q -j16 -i "$list" -d "$dir" ;;
    curl) set -- "$@" curl --no-progress-meter --parallel --parallel-max 16 --output-dir "$dir" -K "$WORK/small-list.curl" ;;
  esac
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "${@:4}"
  read -r secs rss < <(tail -n 1 "$WORK/time.txt")
  record "$1" "$3" "$2" seconds "$secs"
  record "$1" "$3" "$2" rss_kib "$rss"
  echo "  $1 round $3 $2: ${secs}s, peak RSS ${rss} KiB" >&2
  check "$dir"
}
rounds() { # condition
  local r order
  for r in $(seq 1 "$ROUNDS"); do
    # rotate the order: each tool runs first, second and last in turn
    order=$(echo $tools | tr ' ' '\n' | awk -v r="$r" '{ a[NR] = $0 } END { for (i = 0; i < NR; i++) print a[(i + r) % NR + 1] }')
    for tool in $order; do one "$1" "$tool" "$r"; done
  done
}

echo "quiet: $ROUNDS rounds of $tools" >&2
rounds quiet
echo "with a neighbour writing 2 GiB files to the same file system: $ROUNDS rounds" >&2
neighbour_start
rounds neighbour
neighbour_stop
rm -rf "$runs"
sync

echo >&2
python3 "$BENCH_ROOT/bench/summarize.py" many-small "$RESULTS" "$RUN_UTC"
