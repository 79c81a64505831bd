# What the examples assume, made in the example's own shell before it runs (Examples.map.ps1's Setup blocks).
# $TestOrigins, $TestSlowOrigin, $TestWww and $TestPki are set by the runner (Invoke-ExampleProcess).

# The secrets the company-network examples' servers expect (Examples.Tests.ps1 starts squid and the auth origin with
# them, after dot-sourcing this file too); an example that prompts for one gets it from a stand-in its Setup defines.
$TestProxyUser = 'proxyuser'; $TestProxyPassword = 'Pr0xy-S3cret'
$TestUser = 'alice'; $TestPassword = 'Al1ce-S3cret'
$TestToken = 'tok-4f2c9a7e1b'; $TestSessionCookie = 'session=c00k1e-9d3e'

function Write-UrlList([string[]] $Name, [string] $Path = 'urls.txt') {
    [System.IO.File]::WriteAllLines((Join-Path $PWD $Path), [string[]]($Name | ForEach-Object { "$($TestOrigins[0])/$_" }))
}

function Write-Sha256Sums([string[]] $Name, [string] $Path = 'SHA256SUMS') {
    $lines = foreach ($n in $Name) { '{0}  {1}' -f (Get-FileHash -Algorithm SHA256 (Join-Path $TestWww $n)).Hash.ToLowerInvariant(), $n }
    [System.IO.File]::WriteAllLines((Join-Path $PWD $Path), [string[]]$lines)
}

# Waits, at most $Seconds, until a download's state file records bytes durably on disk (its "ranges" line is not
# empty): then it is running, and a stop leaves something to resume.
function Wait-PartialFile([string] $Path, [int] $Seconds = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ($true) {
        $state = try { [System.IO.File]::ReadAllText("$Path.downloader") } catch { '' }
        if ($state -match '(?m)^ranges \d') { return }
        if ([DateTime]::UtcNow -gt $deadline) { throw "No bytes recorded in $Path.downloader within $Seconds s" }
        Start-Sleep -Milliseconds 50
    }
}

# A download job of the slow origin's big.iso, still running. With -Id, jobs of a missing URL are made first until
# the next one gets that id, as in a session that had made other jobs before (ids count from 1 in a new shell).
function Start-RunningDownload([string] $Name, [int] $Id = 0) {
    $last = 0
    while ($Id -and $last -lt $Id - 1) { $last = (Start-Download "$($TestOrigins[0])/status/404" -AsJob -Name other).Id }
    $named = if ($Name) { @{ Name = $Name } } else { @{} }
    $job = Start-Download "$TestSlowOrigin/big.iso" -AsJob @named
    if ($Id -and $job.Id -ne $Id) { throw "The job got id $($job.Id), not $Id" }
    Wait-PartialFile (Join-Path $PWD 'big.iso')
    $job
}

# The durable queue's examples: a queue and a user configuration folder of the example's own (DOWNLOADER_QUEUE_DIR,
# XDG_CONFIG_HOME, which the worker and the systemd unit's place follow), so no example touches the user's.
function Use-ExampleQueue {
    $env:DOWNLOADER_QUEUE_DIR = Join-Path $PWD 'queue'
    $env:XDG_CONFIG_HOME = Join-Path $PWD 'config'
}

# Waits, bounded, until every persisted entry has Completed or Failed (the detached worker works on its own).
function Wait-PersistedEnd([int] $Seconds = 90) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (@(Get-Download -Persisted -WarningAction SilentlyContinue | Where-Object State -notin 'Completed', 'Failed').Count) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "The queue did not finish within $Seconds s" }
        Start-Sleep -Milliseconds 100
    }
}
