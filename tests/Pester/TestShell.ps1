# Child PowerShell processes for the Pester tests that need a shell of their own: a scheduled task's
# `pwsh -NonInteractive -NoProfile -File job.ps1`, a user's first session after a Gallery install, a fresh process where
# several runspaces load the module at once. Every child runs under a deadline and is killed when it passes it.

# The shell these tests run in, as an executable a child process can start. Under `dotnet tool run pwsh` the process is
# dotnet itself, so PowerShell 7's own pwsh is taken from $PSHOME.
function Get-TestShell {
    if ($PSVersionTable.PSEdition -eq 'Desktop') { return (Get-Process -Id $PID).Path }
    if ($IsWindows) { return Join-Path $PSHOME 'pwsh.exe' }
    return Join-Path $PSHOME 'pwsh'
}

# Runs the test shell with arguments, no input, stdout and stderr each sent to a file; returns the exit code and both
# files' text. -Environment sets (or, with $null, removes) variables for the child only.
function Invoke-TestShell {
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [Parameter(Mandatory)] [string] $WorkingDirectory,
        [hashtable] $Environment = @{},
        [int] $Seconds = 120
    )
    $info = [System.Diagnostics.ProcessStartInfo]::new((Get-TestShell))
    $info.Arguments = ($ArgumentList | ForEach-Object { '"' + ($_ -replace '"', '\"') + '"' }) -join ' '
    $info.WorkingDirectory = $WorkingDirectory
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $info.Environment.Remove($name) } else { $info.Environment[$name] = [string]$Environment[$name] }
    }
    $process = [System.Diagnostics.Process]::Start($info)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($Seconds * 1000)) {
            $process.Kill()
            throw "$($info.FileName) $($info.Arguments) did not end within $Seconds s"
        }
        $process.WaitForExit()   # and its output is read to the end
        $id = [guid]::NewGuid().ToString('N')
        $outFile = Join-Path $WorkingDirectory "stdout-$id.txt"
        $errFile = Join-Path $WorkingDirectory "stderr-$id.txt"
        [System.IO.File]::WriteAllText($outFile, $stdout.Result)
        [System.IO.File]::WriteAllText($errFile, $stderr.Result)
        [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result; StdoutFile = $outFile; StderrFile = $errFile }
    } finally {
        $process.Dispose()
    }
}

# A user profile of its own for a child shell: HOME and the XDG folders (Linux, macOS) or USERPROFILE and the
# AppData folders (Windows) inside $Root, and no inherited PSModulePath, so the child's CurrentUser scope is empty.
# The folders are created first: PSResourceGet keeps its repository list under the local application data folder,
# and .NET reports a missing one as '' (the list would land in the working directory).
function New-CleanUserEnvironment([string] $Root) {
    $local = Join-Path $Root '.local/share'
    $config = Join-Path $Root '.config'
    $cache = Join-Path $Root '.cache'
    $appData = Join-Path $Root 'AppData/Roaming'
    $localAppData = Join-Path $Root 'AppData/Local'
    foreach ($dir in $local, $config, $cache, $appData, $localAppData, (Join-Path $Root 'Documents')) {
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
    }
    @{
        HOME = $Root; XDG_DATA_HOME = $local; XDG_CONFIG_HOME = $config; XDG_CACHE_HOME = $cache
        USERPROFILE = $Root; APPDATA = $appData; LOCALAPPDATA = $localAppData
        PSModulePath = $null
    }
}
