# Finds every PowerShell example users read, and turns one into a script that runs against the loopback origin.
# Dot-sourced by Examples.Tests.ps1 and Remoting.Tests.ps1.
#
# What an example is:
#   - README.md: each group of lines between blank lines inside a ```powershell fence (a fence whose groups depend
#     on each other, like "Beyond one machine", is run whole by its own test and its groups are mapped to that test);
#   - help: the code of each example `Get-Help <cmdlet> -Examples` shows, for every cmdlet of the module.
# Its key is the first 10 hex digits of the SHA-256 of its code with comments removed and whitespace collapsed (the
# PowerShell tokenizer's view), so a changed comment keeps the key and any changed code gets a new one.
#
# The two substitutions made to an example's text (Convert-ExampleToLoopback), and no others:
#   - a URL on an example host (example.com, example.org, example.net and their subdomains), with its port if it names
#     one, becomes the same path on a loopback origin (an entry's Origins may name them: a proxy, an HTTPS front): the first distinct host the example names gets the first origin given, the second host the
#     second, and so on (so -Mirror's two hosts stay two servers);
#   - an elided digest, `ALGORITHM:HEX...` (the README's and help's way of not printing 128 hex digits), becomes the
#     full digest, in that algorithm, of the served file the same line names.
# Everything else runs as typed; what an example assumes (urls.txt, list.csv, a running job, a D: drive, a player,
# a signing command) is made by its entry's Setup in Examples.map.ps1, before the example runs.

$script:ExampleHostPattern = 'https?://(?<host>(?:[a-z0-9-]+\.)*example\.(?:com|org|net))(?::\d+)?(?=[/:''"\s]|$)'

function Get-ExampleKey([string] $Code) {
    $tokens = $null; $errors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
    $text = ($tokens | Where-Object { $_.Kind -notin 'Comment', 'NewLine', 'EndOfInput' } | ForEach-Object Text) -join ' '
    $hash = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
    ([System.Convert]::ToHexString($hash)).Substring(0, 10).ToLowerInvariant()
}

function New-Example([string] $Source, [string] $Section, [string] $Code) {
    [pscustomobject]@{ Source = $Source; Section = $Section; Code = $Code; Key = Get-ExampleKey $Code }
}

# Each ```powershell fence of the README, whole, with the heading it sits under and its first line number.
function Get-ReadmeFence([string] $Path) {
    $lines = [System.IO.File]::ReadAllLines($Path)
    $section = ''; $start = -1
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($start -lt 0 -and $lines[$i] -match '^#+\s+(.*)$') { $section = $Matches[1] }
        elseif ($start -lt 0 -and $lines[$i] -match '^```powershell\s*$') { $start = $i + 1 }
        elseif ($start -ge 0 -and $lines[$i] -match '^```\s*$') {
            [pscustomobject]@{ Line = $start + 1; Section = $section; Lines = $lines[$start..($i - 1)] }
            $start = -1
        }
    }
}

function Get-ReadmeExample([string] $Path) {
    $name = Split-Path $Path -Leaf
    foreach ($fence in Get-ReadmeFence $Path) {
        $group = [System.Collections.Generic.List[string]]::new(); $first = 0
        for ($i = 0; $i -le $fence.Lines.Count; $i++) {
            $line = if ($i -lt $fence.Lines.Count) { $fence.Lines[$i] } else { '' }
            if ($line.Trim()) { if ($group.Count -eq 0) { $first = $fence.Line + $i }; $group.Add($line); continue }
            if ($group.Count) { New-Example "${name}:$first" $fence.Section ($group -join "`n"); $group.Clear() }
        }
    }
}

function Get-HelpExample([string] $Module) {
    foreach ($command in Get-Command -Module $Module -CommandType Cmdlet | Sort-Object Name) {
        $n = 0
        foreach ($example in (Get-Help $command.Name -Examples).examples.example) {
            $n++
            New-Example "Get-Help $($command.Name) -Examples, example $n" $command.Name $example.code.Trim()
        }
    }
}

function Convert-ExampleToLoopback([string] $Code, [string[]] $Origin, [string] $WwwRoot) {
    $hosts = [System.Collections.Generic.List[string]]::new()
    foreach ($m in [regex]::Matches($Code, $ExampleHostPattern)) {
        if (-not $hosts.Contains($m.Groups['host'].Value)) { $hosts.Add($m.Groups['host'].Value) }
    }
    if ($hosts.Count -gt $Origin.Count) { throw "The example names $($hosts.Count) hosts; only $($Origin.Count) origins were given." }
    $lines = foreach ($line in $Code -split "`n") {
        $line = [regex]::Replace($line, '(?<alg>sha512|sha384|sha256|sha1|md5):(?<hex>[0-9a-fA-F]+)\.\.\.', {
                param($m)
                $file = [regex]::Match($line, "$ExampleHostPattern/(?:[^/\s'""]+/)*(?<name>[^/\s'""?]+)").Groups['name'].Value
                if (-not $file) { throw "An elided digest on a line that names no served file: $line" }
                $digest = (Get-FileHash -Algorithm $m.Groups['alg'].Value.ToUpperInvariant() (Join-Path $WwwRoot $file)).Hash
                "$($m.Groups['alg'].Value):$($digest.ToLowerInvariant())"
            })
        [regex]::Replace($line, $ExampleHostPattern, { param($m) $Origin[$hosts.IndexOf($m.Groups['host'].Value)] })
    }
    $lines -join "`n"
}

# The command line of the shell running this test (pwsh itself, or `dotnet pwsh.dll` for the dotnet tool), so that
# children and the SSH subsystem run the very same PowerShell.
function Get-PwshCommand {
    $exe = (Get-Process -Id $PID).Path
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$') { return @($exe, [System.Reflection.Assembly]::GetEntryAssembly().Location) }
    @($exe)
}

# Runs an example in a new shell process, as a user would type it into a fresh session: in $WorkDir, with the
# module imported (unless the example imports it), after its Setup. Returns what the example wrote (deserialized),
# every error record it made, a terminating error if any, and what After wrote. A shell that does not end within
# $TimeoutSec is killed, with its whole process tree, and the test fails.
function Invoke-ExampleProcess {
    param([string] $Code, [string] $Setup, [string] $After, [string] $WorkDir, [hashtable] $Variables,
        [string] $ModulePath, [switch] $NoImport, [hashtable] $Environment = @{}, [int] $TimeoutSec = 120)
    $base = Split-Path $WorkDir -Parent
    $examplePath = Join-Path $base 'example.ps1'; $resultPath = Join-Path $base 'result.xml'
    [System.IO.File]::WriteAllText($examplePath, $Code)
    $quote = { param($v) "'" + ($v -replace "'", "''") + "'" }
    $preamble = foreach ($name in $Variables.Keys) {
        $value = $Variables[$name]
        if ($value -is [array]) { "`$$name = @($(($value | ForEach-Object { & $quote $_ }) -join ', '))" }
        else { "`$$name = $(& $quote $value)" }
    }
    $import = if ($NoImport) { '' } else { "Import-Module $(& $quote $ModulePath)" }
    $script = @"
$($preamble -join "`n")
Set-Location -LiteralPath $(& $quote $WorkDir)
$import
$Setup
`$Error.Clear()
`$__output = `$null; `$__terminating = `$null
try { `$__output = . $(& $quote $examplePath) } catch { `$__terminating = `$_ }
`$__errors = @(`$Error | ForEach-Object { `$_ })
`$__after = . { $After }
[pscustomobject]@{ Output = @(`$__output); Errors = `$__errors; Terminating = `$__terminating; After = @(`$__after) } |
    Export-Clixml -Depth 4 -LiteralPath $(& $quote $resultPath)
"@
    $runnerPath = Join-Path $base 'runner.ps1'
    [System.IO.File]::WriteAllText($runnerPath, $script)
    $command = @(Get-PwshCommand)   # @(): one element (pwsh itself) would unroll to a string, and [0] to its first letter
    $psi = [System.Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $runnerPath)) { $psi.ArgumentList.Add($a) }
    foreach ($name in $Environment.Keys) { $psi.Environment[$name] = $Environment[$name] }
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.WorkingDirectory = $WorkDir
    $process = [System.Diagnostics.Process]::Start($psi)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync(); $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            $process.Kill($true)
            throw "The example did not end within $TimeoutSec s:`n$Code"
        }
        $process.WaitForExit()
        if (-not (Test-Path $resultPath)) {
            throw "The shell ended ($($process.ExitCode)) without a result:`n$($stdout.Result)`n$($stderr.Result)"
        }
        $result = Import-Clixml $resultPath
        $result | Add-Member -NotePropertyName Stdout -NotePropertyValue $stdout.Result -PassThru |
            Add-Member -NotePropertyName Stderr -NotePropertyValue $stderr.Result -PassThru
    } finally { $process.Dispose() }
}
