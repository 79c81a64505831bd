# A real squid from Debian (.ci/run installs it) on a free loopback port, with its own configuration, logs and
# password helper in a folder of its own: proxy Basic auth required for everything, as
# tests/Downloader.Core.Tests/Server/SquidProxy.cs has it. Stopped by its PID. Dot-sourced by Examples.Tests.ps1.

function Start-TestSquid([string] $Folder, [string] $User, [string] $Password) {
    # squid started as root drops to the 'proxy' user: its folder and files must be open to that user.
    $dir = (New-Item -ItemType Directory -Path $Folder -Force).FullName
    if (-not $IsWindows) { [System.IO.File]::SetUnixFileMode($dir, [System.IO.UnixFileMode]0x1FF) }
    for ($try = 1; ; $try++) {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        [System.IO.File]::WriteAllText((Join-Path $dir 'auth.sh'), @"
#!/bin/sh
while read -r user pass; do
  if [ "`$user" = "$User" ] && [ "`$pass" = "$Password" ]; then echo OK; else echo ERR; fi
done
"@.Replace("`r", ''))
        [System.IO.File]::WriteAllText((Join-Path $dir 'squid.conf'), @"
http_port 127.0.0.1:$port
pid_filename $dir/squid.pid
access_log stdio:$dir/access.log
cache_log $dir/cache.log
cache_store_log none
coredump_dir $dir
cache deny all
cache_mem 4 MB
pinger_enable off
shutdown_lifetime 0 seconds
auth_param basic program /bin/sh $dir/auth.sh
auth_param basic realm downloader-test
auth_param basic children 2 startup=1
acl authed proxy_auth REQUIRED
http_access allow authed
http_access deny all
"@.Replace("`r", ''))
        $process = Start-Process /usr/sbin/squid -ArgumentList '-N', '-f', "$dir/squid.conf" -PassThru `
            -RedirectStandardError (Join-Path $dir "stderr$try.txt") -RedirectStandardOutput (Join-Path $dir "stdout$try.txt")
        # The event to wait for: squid accepts a connection on its port (or it has ended, its port taken meanwhile).
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            $tcp = [System.Net.Sockets.TcpClient]::new()
            try { $tcp.Connect('127.0.0.1', $port); return [pscustomobject]@{ Process = $process; Port = $port; Folder = $dir; Uri = "http://127.0.0.1:$port" } }
            catch { Start-Sleep -Milliseconds 50 } finally { $tcp.Dispose() }
        }
        if (-not $process.HasExited) { $process.Kill($true) }
        if ($try -ge 3) { throw "squid did not start: $(Get-Content (Join-Path $dir 'cache.log') -Raw -ErrorAction SilentlyContinue)" }
    }
}

# What squid logged: one line a request, with the user that signed in (the "squid" log format).
function Get-TestSquidLog($Squid) { @(Get-Content (Join-Path $Squid.Folder 'access.log') -ErrorAction SilentlyContinue) }

function Stop-TestSquid($Squid) {
    if (-not $Squid.Process.HasExited) { $Squid.Process.Kill($true); $null = $Squid.Process.WaitForExit(10000) }
}
