# The design card's line against what a PowerShell user would write without the module, on one URL list, in the
# pwsh that runs this (bench/perf.sh starts it with `dotnet tool run pwsh`, PowerShell 7.6.10):
#   card       $urls | Start-Download -Threads 10          (the design card's line, output discarded)
#   iwr        foreach ($u in $urls) { Invoke-WebRequest $u -OutFile ... }
#   parallel   $urls | ForEach-Object -Parallel { Invoke-WebRequest $_ -OutFile ... } -ThrottleLimit 10
# Prints "seconds=S files=N" for the measured statement alone (start-up and Import-Module are left out).
param(
    [Parameter(Mandatory)][ValidateSet('card', 'iwr', 'parallel')][string]$Mode,
    [Parameter(Mandatory)][string]$List,
    [Parameter(Mandatory)][string]$Dir,
    [Parameter(Mandatory)][string]$Manifest
)
$ErrorActionPreference = 'Stop'
$urls = [IO.File]::ReadAllLines($List)
if ($Mode -eq 'card') {
    Import-Module $Manifest
}
Set-Location $Dir
$watch = [Diagnostics.Stopwatch]::StartNew()
switch ($Mode) {
    'card' {
        $null = $urls | Start-Download -Threads 10
    }
    'iwr' {
        foreach ($u in $urls) {
            Invoke-WebRequest $u -OutFile (Join-Path $Dir ([IO.Path]::GetFileName($u)))
        }
    }
    'parallel' {
        $urls | ForEach-Object -Parallel {
            Invoke-WebRequest $_ -OutFile (Join-Path $using:Dir ([IO.Path]::GetFileName($_)))
        } -ThrottleLimit 10
    }
}
$watch.Stop()
$files = @(Get-ChildItem -LiteralPath $Dir -File).Count
"seconds={0:0.000} files={1}" -f $watch.Elapsed.TotalSeconds, $files
