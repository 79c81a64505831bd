<#
.SYNOPSIS
    Builds the Downloader module into out/Downloader and runs the tests.
.DESCRIPTION
    The same module folder can be built without PowerShell:
        dotnet publish src/Downloader.PowerShell -c Release
    -Test runs the xunit suites, then the Pester suite in a fresh pwsh process when Pester is installed
    (a loaded binary module cannot be unloaded, so the tests never share this process).
.EXAMPLE
    ./build.ps1 -Test
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

dotnet test Downloader.sln -c $Configuration
if ($LASTEXITCODE -ne 0) { throw "xunit tests failed ($LASTEXITCODE)" }

if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0')) {
    Write-Warning 'Pester 5 is not installed: Pester tests SKIPPED. Install-Module Pester -MinimumVersion 5.0 to run them.'
    return
}
$shell = (Get-Process -Id $PID).Path
& $shell -NoProfile -Command "Import-Module Pester -MinimumVersion 5.0; `$r = Invoke-Pester ./tests/Pester -Output Detailed -PassThru; exit `$r.FailedCount"
if ($LASTEXITCODE -ne 0) { throw "Pester tests failed ($LASTEXITCODE)" }
