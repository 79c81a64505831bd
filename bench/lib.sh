#!/usr/bin/env bash
# Shared set-up for the benchmarks: packages, nginx on 127.0.0.1, the CLI published ReadyToRun.
set -euo pipefail
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BENCH_WORK:-$BENCH_ROOT/bench/.scratch}
PORT=${BENCH_PORT:-18380}
mkdir -p "$WORK/www" "$WORK/out" "$WORK/logs"

bench_install() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx)
  command -v aria2c >/dev/null || missing+=(aria2)
  command -v curl >/dev/null || missing+=(curl)
  [ -x /usr/bin/time ] || missing+=(time)
  command -v strace >/dev/null || missing+=(strace)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# nginx serves $WORK/www at /, the same files at /throttled/ with limit_rate 4m per connection, and any
# /many/NAME as the one file many/one.bin (and /many64/NAME as many/one64.bin), so a list of 100,000 URLs needs only one file on disk.
bench_nginx() {
  cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$PORT;
    root $WORK/www;
    location /throttled/ { alias $WORK/www/; limit_rate 4m; }
    location /many/ { rewrite ^/many/.*\$ /many/one.bin break; }
    location /many64/ { rewrite ^/many64/.*\$ /many/one64.bin break; }
  }
}
CONF
  nginx -c "$WORK/nginx.conf" -s stop >/dev/null 2>&1 || true
  sleep 0.2
  nginx -c "$WORK/nginx.conf"
  trap 'nginx -c "$WORK/nginx.conf" -s stop >/dev/null 2>&1 || true' EXIT
}

# Published the way a user installs it: ReadyToRun, so start-up is not spent in the JIT.
bench_cli() {
  dotnet publish "$BENCH_ROOT/src/Downloader.Cli" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$WORK/cli" -v q -nologo >/dev/null
  CLI="$WORK/cli/downloader"
}

# The CLI compiled ahead of time (-p:NativeAot=true, see its project file), into its own folder; gcc links where
# clang is missing. CLI_AOT stays empty when it cannot be built, and the benchmarks leave its rows out.
bench_cli_aot() {
  local linker=()
  command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
  CLI_AOT=
  if dotnet publish "$BENCH_ROOT/src/Downloader.Cli" -c Release -r linux-x64 -p:NativeAot=true "${linker[@]}" \
    -o "$WORK/cli-aot" -v q -nologo > "$WORK/logs/aot.log" 2>&1; then
    CLI_AOT="$WORK/cli-aot/downloader"
  else
    echo "  the Native AOT publish failed (see $WORK/logs/aot.log): no cli-aot rows" >&2
  fi
}

# The module folder as users get it (`dotnet publish src/Downloader.PowerShell`, laid out by its AssembleModule
# target), published into $WORK rather than the repository's out/, and bench/ModulePipeline, the host that runs it.
bench_module() {
  dotnet publish "$BENCH_ROOT/src/Downloader.PowerShell" -c Release -v q -nologo \
    -p:ModuleDirectory="$WORK/module/Downloader/" >/dev/null
  MODULE_MANIFEST="$WORK/module/Downloader/Downloader.psd1"
  dotnet build "$BENCH_ROOT/bench/ModulePipeline" -c Release -o "$WORK/module-pipeline" -v q -nologo >/dev/null
  MODULE_PIPELINE="$WORK/module-pipeline/ModulePipeline.dll"
}

# bench_run_id: a UTC time stamp, the commit measured (-dirty when the tree has changes) and the 1-minute load,
# TAB-separated: the first columns of every results row, so a re-run after a change appends beside the old rows.
bench_run_id() {
  local commit
  commit=$(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [ -z "$(git -C "$BENCH_ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit-dirty"
  printf '%s\t%s\t%s' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$(cut -d' ' -f1 /proc/loadavg)"
}

# time_run LABEL FILE COMMAND...: appends "LABEL seconds peak-rss-KiB" to FILE.
time_run() {
  local label=$1 file=$2
  shift 2
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@"
  read -r secs rss < "$WORK/time.txt"
  printf '%s\t%s\t%s\n' "$label" "$secs" "$rss" >> "$file"
  echo "  $label ${secs}s rss ${rss}KiB" >&2
}
