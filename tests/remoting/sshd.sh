#!/usr/bin/env bash
# A private sshd on 127.0.0.1 for the remoting tests (tests/Pester/Remoting.Tests.ps1), never the machine's own:
# its own config, host key, client key and authorized key, all generated into a new temp folder, on a free port,
# with a PowerShell subsystem. Needs openssh-server (.ci/run installs it).
#
#   sshd.sh start MODULE_PATH PWSH [PWSH_ARGS...]   prints the folder it made: client_key, known_hosts, port, sshd.pid
#   sshd.sh stop FOLDER                             stops that sshd by its PID and removes the folder
#
# PWSH is the shell the subsystem runs (with PWSH_ARGS before -sshs -NoLogo -NoProfile), e.g. the local dotnet
# tool's `dotnet .../pwsh.dll`; MODULE_PATH becomes the sessions' PSModulePath, so `Import-Module Downloader` finds
# the built module by name. The sessions' HOME is a folder inside FOLDER, so nothing is written to the user's own.
set -euo pipefail

sshd_bin=${SSHD:-/usr/sbin/sshd}

start() {
  local module_path=$1; shift
  [ $# -ge 1 ] || { echo "usage: $0 start MODULE_PATH PWSH [PWSH_ARGS...]" >&2; exit 2; }
  [ -x "$sshd_bin" ] || { echo "sshd.sh: $sshd_bin not found: install openssh-server" >&2; exit 3; }
  local dir; dir=$(mktemp -d "${TMPDIR:-/tmp}/downloader-sshd.XXXXXX")
  mkdir -p "$dir/home"
  ssh-keygen -q -t ed25519 -N '' -C downloader-test-host -f "$dir/host_key"
  ssh-keygen -q -t ed25519 -N '' -C downloader-test-client -f "$dir/client_key"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  chmod 600 "$dir/authorized_keys" "$dir/host_key" "$dir/client_key"
  # sshd re-executes itself and insists on an absolute path; as root it also wants its privilege separation folder.
  if [ "$(id -u)" = 0 ]; then mkdir -p /run/sshd && chmod 755 /run/sshd; fi

  local dotnet_root=""
  if command -v dotnet >/dev/null 2>&1; then dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")"); fi

  # A port another program holds makes sshd exit at once ("Cannot bind any address"): choose another, a bounded
  # number of times. Each attempt waits for sshd's own "Server listening" line or its exit, at most 10 s.
  local attempt port pid
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
# The keys live under the temp folder, whose parent (/tmp) is world-writable: StrictModes would refuse them.
StrictModes no
UsePAM no
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
LogLevel VERBOSE
SetEnv PSModulePath=$module_path HOME=$dir/home DOTNET_ROOT=$dotnet_root DOTNET_CLI_TELEMETRY_OPTOUT=1
Subsystem powershell $* -sshs -NoLogo -NoProfile
CONF
    : > "$dir/sshd.log"
    "$sshd_bin" -D -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null >/dev/null 2>&1 &
    pid=$!
    local waited=0
    while [ $waited -lt 100 ]; do
      if grep -q "Server listening on 127.0.0.1 port $port" "$dir/sshd.log"; then
        echo "$pid" > "$dir/sshd.pid.own"
        echo "$port" > "$dir/port"
        echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_key.pub")" > "$dir/known_hosts"
        echo "$dir"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1; waited=$((waited + 1))
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "sshd.sh: sshd did not start; its log:" >&2
  cat "$dir/sshd.log" >&2
  rm -rf "$dir"
  exit 1
}

stop() {
  local dir=$1
  [ -f "$dir/sshd.pid.own" ] || { echo "sshd.sh: no sshd of ours in $dir" >&2; exit 1; }
  local pid; pid=$(cat "$dir/sshd.pid.own")
  # Only the PID this script started, and only while it is still that sshd (its command line names our config).
  if grep -qa "$dir/sshd_config" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; [ $# -ge 2 ] || { echo "usage: $0 start MODULE_PATH PWSH [PWSH_ARGS...]" >&2; exit 2; }; start "$@" ;;
  stop) [ $# -eq 2 ] || { echo "usage: $0 stop FOLDER" >&2; exit 2; }; stop "$2" ;;
  *) echo "usage: $0 start MODULE_PATH PWSH [PWSH_ARGS...] | stop FOLDER" >&2; exit 2 ;;
esac
