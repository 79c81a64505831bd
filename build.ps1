<#
.SYNOPSIS
    Builds the Downloader module into out/Downloader and runs the tests.
.DESCRIPTION
    The same module folder can be built without PowerShell:
        dotnet publish src/Downloader.PowerShell -c Release
    -Test runs the xunit suites, then the Pester suite in a fresh PowerShell process (a loaded binary module cannot be
    unloaded, so the tests never share this process), and ends with one line counting both:
    'N passed, N failed, N skipped'. Pester comes from NuGet (tests/tools/Tools.csproj), so nothing has to be installed
    by hand; a Pester that cannot be had is a failure, never a skip.
.EXAMPLE
    dotnet tool restore; dotnet tool run pwsh -NoProfile -File ./build.ps1 -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Test
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

dotnet publish src/Downloader.PowerShell -c $Configuration -nologo
if ($LASTEXITCODE -ne 0) { throw "dotnet publish failed ($LASTEXITCODE)" }
Write-Host "Module: $(Join-Path $PSScriptRoot 'out/Downloader')"

if (-not $Test) { return }

# The Pester module named by tests/tools/Tools.csproj, from the package folder its restore used (NUGET_PACKAGES or
# a nuget.config may move that folder, and project.assets.json says where it went).
function Get-PesterManifest {
    $project = Join-Path $PSScriptRoot 'tests/tools/Tools.csproj'
    dotnet restore $project -nologo | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet restore $project failed ($LASTEXITCODE): Pester cannot be had" }
    $version = ([xml](Get-Content -Raw $project)).Project.ItemGroup.PackageDownload |
        Where-Object Include -eq 'Pester' | ForEach-Object { $_.Version.Trim('[]') }
    $assets = Get-Content -Raw (Join-Path $PSScriptRoot 'tests/tools/obj/project.assets.json') | ConvertFrom-Json
    foreach ($folder in $assets.packageFolders.PSObject.Properties.Name) {
        $manifest = Join-Path $folder "pester/$version/tools/Pester.psd1"
        if (Test-Path $manifest) { return $manifest }
    }
    throw "Pester $version was restored, but its tools/Pester.psd1 is in none of: $($assets.packageFolders.PSObject.Properties.Name -join ', ')"
}

# The shell this script runs in, as an executable a child process can start (under `dotnet tool run pwsh` the process
# is dotnet itself, and $PSHOME holds the real pwsh).
function Get-ShellPath {
    if ($PSVersionTable.PSEdition -eq 'Desktop') { return (Get-Process -Id $PID).Path }
    if ($IsWindows) { return Join-Path $PSHOME 'pwsh.exe' }
    return Join-Path $PSHOME 'pwsh'
}

# Adds up one count of the summary line dotnet test writes per test assembly
# ("Passed!  - Failed:     0, Passed:   120, Skipped:     0, Total:   120, ..."), never a test's own output.
function Get-XunitCount([string[]] $Log, [string] $Label) {
    $sum = 0
    foreach ($line in $Log) {
        if ($line -match '(Passed|Failed)!\s+-\s+Failed:' -and $line -match "\b$Label\s*:\s+(\d+)") { $sum += [int]$Matches[1] }
    }
    $sum
}

# The failed xunit tests, each with the first lines of its message, so the end of the run says what failed even
# when only its tail is kept ("  Failed Name [12 ms]", then "  Error Message:" and the message).
function Get-XunitFailures([string[]] $Log) {
    for ($i = 0; $i -lt $Log.Count; $i++) {
        if ($Log[$i] -notmatch '^\s*Failed\s+(.+?)\s+\[[^\]]*\]\s*$') { continue }
        $name = $Matches[1]
        $message = @($Log[($i + 1)..([Math]::Min($i + 8, $Log.Count - 1))] |
            Where-Object { $_ -notmatch '^\s*(Error Message|Stack Trace):\s*$' } | Select-Object -First 3) -join ' '
        "xunit FAILED: $name :: $($message.Trim())"
    }
}

$xunitLog = @()
dotnet test Downloader.sln -c $Configuration | Tee-Object -Variable xunitLog | Out-Host
$xunitExit = $LASTEXITCODE

$pester = Get-PesterManifest
$counts = Join-Path ([System.IO.Path]::GetTempPath()) "downloader-pester-$([guid]::NewGuid().ToString('N')).json"
$script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$r = Invoke-Pester ./tests/Pester -Output Detailed -PassThru
`$names = @(`$r.Failed | ForEach-Object { "`$(`$_.ExpandedPath) :: `$(`$_.ErrorRecord | Select-Object -First 1)" }) +
    @(`$r.FailedBlocks + `$r.FailedContainers | ForEach-Object { "`$(`$_.Name) :: `$(`$_.ErrorRecord | Select-Object -First 1)" })
[pscustomobject]@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount; Names = `$names } |
    ConvertTo-Json | Set-Content -Path '$counts'
"@
& (Get-ShellPath) -NoProfile -NonInteractive -Command $script | Out-Host
if (Test-Path $counts) {
    $p = Get-Content -Raw $counts | ConvertFrom-Json
    Remove-Item $counts
} else {
    # The Pester process died before it could count: that is a failure, not a run with nothing in it.
    $p = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
}

$passed = (Get-XunitCount $xunitLog 'Passed') + $p.Passed
$failed = (Get-XunitCount $xunitLog 'Failed') + $p.Failed
$skipped = (Get-XunitCount $xunitLog 'Skipped') + $p.Skipped
Get-XunitFailures $xunitLog | Write-Host
foreach ($name in @($p.Names)) { if ($name) { Write-Host "Pester FAILED: $name" } }
if ($xunitExit -ne 0 -and $failed -eq 0) { $failed = 1 }   # dotnet test failed without a count (a build error)
Write-Host "$passed passed, $failed failed, $skipped skipped"
if ($failed -gt 0) { exit 1 }
