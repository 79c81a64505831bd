#!/usr/bin/env bash
# Benchmark (issue 12): a list of 100,000 URLs, 4 KiB each (nginx on loopback serves any /many/NAME as one file),
# 16 at once, in ONE run:
#   curl      `curl --parallel --parallel-max 16 -K list`, one `url = ...` + `output = ...` pair per file
#   cli-file  `downloader -i list -j 16 -q`, the list from a file, as users give it
#   cli-stdin the same list on stdin (`-i -`)
#   module-progress / module-noprogress   bench/ModulePipeline: System.Management.Automation 7.6.9 hosted, the
#             published module imported, `[IO.File]::ReadLines($list) | Start-Download -Destination $dir -Threads 16
#             | ForEach-Object { $n++ }` (one string per line, as Get-Content), progress on and off; a host that
#             counts the progress records and renders nothing (a user's host renders them, at its own cost)
#   module-baseline  the same program and strings through `ForEach-Object { $n++ }`, no module: the host's memory
# Each with wall time, peak RSS, CPU, and completed files (counted on disk: u*.bin of 4096 bytes); then the cost
# per file from `strace -c -f` of curl and the CLI on the first STRACE_COUNT URLs (default 5000).
#   bench/hundred-k.sh [COUNT]   (default 100000)     STDIN=0 skips the stdin row.
# Rows are appended to bench/results/2026-11-23-hundred-k.tsv; bench/summarize.py prints the tables.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
COUNT=${1:-100000}
STRACE_COUNT=${STRACE_COUNT:-5000}
[ "$STRACE_COUNT" -le "$COUNT" ] || STRACE_COUNT=$COUNT
SIZE=4096
RESULTS=${BENCH_RESULTS:-$BENCH_ROOT/bench/results/2026-11-23-hundred-k.tsv}
bench_install
mkdir -p "$WORK/www/many"
[ "$(stat -c %s "$WORK/www/many/one.bin" 2>/dev/null || echo 0)" -eq $SIZE ] || head -c $SIZE /dev/urandom > "$WORK/www/many/one.bin"
bench_nginx
echo "building the CLI, the module and bench/ModulePipeline..." >&2
bench_cli
bench_module

# The lists: URLs one a line (the CLI and the module), and curl's config (relative names, with --output-dir).
make_lists() { # count prefix
  seq 1 "$1" | sed "s|^|http://127.0.0.1:$PORT/many/u|; s|\$|.bin|" > "$WORK/$2.txt"
  seq 1 "$1" | sed "s|.*|url = \"http://127.0.0.1:$PORT/many/u&.bin\"\noutput = \"u&.bin\"|" > "$WORK/$2.curl"
}
make_lists "$COUNT" hk-list
make_lists "$STRACE_COUNT" hk-strace
list="$WORK/hk-list.txt"

[ -f "$RESULTS" ] || printf 'run_utc\tcommit\tload1\tcount\ttool\tmetric\tvalue\n' > "$RESULTS"
RUN=$(bench_run_id)
RUN_UTC=${RUN%%$'\t'*}
record() { # count tool metric value
  printf '%s\t%s\t%s\t%s\t%s\n' "$RUN" "$1" "$2" "$3" "$4" >> "$RESULTS"
}

# Every run's folder is kept until the end: a run that follows a deletion of 100,000 files pays for it (journal
# commits, and discards where the file system is mounted with online discard). About 0.5 GB at 100,000.
runs="$WORK/hk-runs"
rm -rf "$runs"
mkdir -p "$runs"
fresh() { # tool -> an empty folder of its own
  rm -rf "${runs:?}/$1"
  mkdir -p "$runs/$1"
  echo "$runs/$1"
}
# verify TOOL DIR: completed = u*.bin files of the right size; stray = anything else left in the folder.
verify() {
  local done stray
  done=$(find "$2" -maxdepth 1 -type f -name 'u*.bin' -size ${SIZE}c | wc -l)
  stray=$(($(find "$2" -mindepth 1 -maxdepth 1 | wc -l) - done))
  record "$COUNT" "$1" completed "$done"
  record "$COUNT" "$1" stray "$stray"
  echo "  $1: $done of $COUNT files complete, $stray other entries" >&2
}
# Our own files of the previous run on disk before the next starts; bounded, since other processes' writes make
# a sync wait for them too.
quiet_disk() {
  timeout 120 sync || echo "  sync took more than 120 s; going on" >&2
}
# measure TOOL COMMAND...: wall, peak RSS and CPU of one run, from a quiet disk.
measure() {
  local tool=$1 secs rss user sys
  shift
  quiet_disk
  echo "$tool..." >&2
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" || echo "  $tool exited with $?" >&2
  read -r secs rss user sys < <(tail -n 1 "$WORK/time.txt")
  record "$COUNT" "$tool" seconds "$secs"
  record "$COUNT" "$tool" rss_kib "$rss"
  record "$COUNT" "$tool" user_s "$user"
  record "$COUNT" "$tool" sys_s "$sys"
  echo "  $tool: ${secs}s, peak RSS ${rss} KiB, CPU ${user}+${sys}s" >&2
}
# module MODE: the hosted pipeline; its key=value line goes into the results.
module() {
  local tool="module-$1" dir kv
  dir=$(fresh "$tool")
  rm -f "$WORK/module.txt"
  measure "$tool" sh -c "exec dotnet '$MODULE_PIPELINE' $1 '$list' '$dir' '$MODULE_MANIFEST' > '$WORK/module.txt'"
  tr '\t' '\n' < "$WORK/module.txt" | while IFS='=' read -r key value; do
    [ "$key" = mode ] || record "$COUNT" "$tool" "$key" "$value"
  done
  [ "$1" = baseline ] || verify "$tool" "$dir"
}

dir=$(fresh curl)
measure curl curl --no-progress-meter --parallel --parallel-max 16 --output-dir "$dir" -K "$WORK/hk-list.curl"
verify curl "$dir"
dir=$(fresh cli-file)
measure cli-file "$CLI" -i "$list" -d "$dir" -j 16 -q
verify cli-file "$dir"
if [ "${STDIN:-1}" != 0 ]; then
  dir=$(fresh cli-stdin)
  measure cli-stdin sh -c "exec '$CLI' -i - -d '$dir' -j 16 -q < '$list'"
  verify cli-stdin "$dir"
fi
module progress
module noprogress
module baseline

# The cost per file: system calls of the whole process tree (all threads), start-up included, on fewer files
# (strace slows every call down).
trace() { # tool command...
  local tool=$1 dir
  shift
  dir=$(fresh "$tool")
  quiet_disk
  echo "$tool (strace -c -f, $STRACE_COUNT files)..." >&2
  (cd "$dir" && strace -c -f -o "$WORK/$tool.strace" "$@" >/dev/null) || echo "  $tool exited with $?" >&2
  python3 "$BENCH_ROOT/bench/summarize.py" strace-rows "$WORK/$tool.strace" | while IFS=$'\t' read -r metric value; do
    record "$STRACE_COUNT" "$tool" "$metric" "$value"
  done
  local done
  done=$(find "$dir" -maxdepth 1 -type f -name 'u*.bin' -size ${SIZE}c | wc -l)
  record "$STRACE_COUNT" "$tool" completed "$done"
}
trace strace-curl curl --no-progress-meter --parallel --parallel-max 16 -K "$WORK/hk-strace.curl"
trace strace-cli "$CLI" -i "$WORK/hk-strace.txt" -d . -j 16 -q

echo >&2
python3 "$BENCH_ROOT/bench/summarize.py" hundred-k "$RESULTS" "$RUN_UTC"
# Last, as it can take minutes on a busy disk: the next run should not pay for this deletion.
echo "removing the downloaded files..." >&2
rm -rf "$runs"
timeout 120 sync || true
