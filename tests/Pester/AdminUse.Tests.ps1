# The ways admins run the module outside an interactive prompt: a scheduled task's script with its output sent to
# files, Start-Job (another process), Start-ThreadJob, and ForEach-Object -Parallel with several runspaces loading the
# module at once. Each runs in real PowerShell against a loopback test server.
BeforeAll {
    $script:modulePath = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/Downloader/Downloader.psd1'))
    Import-Module $modulePath -Force
    . (Join-Path $PSScriptRoot 'TestServer.ps1')
    . (Join-Path $PSScriptRoot 'TestShell.ps1')
    $script:site = New-TestSite
    $script:server = Start-TestServer -Root $site.Www
    # Slow enough that a download writes progress records for a while: none may reach a redirected file.
    $script:slow = Start-TestServer -Root $site.Www -BytesPerSecond 1MB

    function New-TestFolder {
        $dir = Join-Path $site.Root ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $dir
    }

    # A scheduled task's script as an admin writes it. PowerShell 7 colours its own tables and error messages even into
    # a redirected file (PowerShell issue #20170), so a script whose output is logged turns that off first; the
    # module must add no colour or progress text of its own.
    function New-JobScript([string] $Dir, [string[]] $Urls) {
        Set-Content -Path (Join-Path $Dir 'urls.txt') -Value $Urls
        $job = Join-Path $Dir 'job.ps1'
        Set-Content -Path $job -Value @"
if (`$PSStyle) { `$PSStyle.OutputRendering = 'PlainText' }
Import-Module '$modulePath'
Get-Content urls.txt | Start-Download -Threads 10 -ErrorAction Stop
"@
        $job
    }

    # What a job runs: the module imported in the job's own runspace, one download, then the result and how the live
    # object renders there as a table (to compare with a copy that crossed a process boundary).
    $script:downloadInJob = {
        param($module, $url, $dir)
        Import-Module $module
        $item = Start-Download $url -Destination $dir
        $item
        $item | Format-Table | Out-String -Width 200
    }

    # A job's output once it has completed (bounded), the job removed either way.
    function Receive-CompletedJob($Job, [int] $Seconds = 90) {
        try {
            Wait-Job $Job -Timeout $Seconds | Should -Not -BeNullOrEmpty -Because 'the job ends in time'
            $Job.State | Should -Be 'Completed'
            Receive-Job $Job
        } finally { Remove-Job $Job -Force }
    }

    function Assert-PlainLog([string] $Path) {
        $text = [System.IO.File]::ReadAllText($Path)
        $text | Should -Not -Match ([regex]::Escape([string][char]27)) -Because "no ANSI escape may land in $Path"
        $text | Should -Not -Match 'Downloading|files done|\[o+ *\]' -Because "no progress text may land in $Path"
    }
}

AfterAll {
    Stop-TestServer $server
    Stop-TestServer $slow
    Remove-Item $site.Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A scheduled task: pwsh -NonInteractive -NoProfile -File job.ps1 > out 2> err' -Tag 'CI' {
    It 'exits 0 when every download succeeds, with plain text in its output files' {
        $dir = New-TestFolder
        $job = New-JobScript $dir "$($slow.BaseUri)/big.bin", "$($server.BaseUri)/a.bin"
        $run = Invoke-TestShell -ArgumentList '-NonInteractive', '-NoProfile', '-File', $job -WorkingDirectory $dir

        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stderr | Should -BeNullOrEmpty
        $run.Stdout | Should -Match 'big\.bin'
        $run.Stdout | Should -Match 'a\.bin'
        Get-Sha256 (Join-Path $dir 'big.bin') | Should -Be (Get-Sha256 (Join-Path $site.Www 'big.bin'))
        Assert-PlainLog $run.StdoutFile
        Assert-PlainLog $run.StderrFile
    }

    It 'exits non-zero when a download fails under -ErrorAction Stop, naming the URL on stderr' {
        $dir = New-TestFolder
        $missing = "$($server.BaseUri)/status/404"
        $job = New-JobScript $dir $missing
        $run = Invoke-TestShell -ArgumentList '-NonInteractive', '-NoProfile', '-File', $job -WorkingDirectory $dir

        $run.ExitCode | Should -Not -Be 0
        $run.Stderr | Should -Match ([regex]::Escape($missing))
        $run.Stderr | Should -Match '404'
        Assert-PlainLog $run.StdoutFile
        Assert-PlainLog $run.StderrFile
    }
}

Describe 'Start-Job (another process)' -Tag 'CI' {
    It 'returns deserialized results that format as the same table' {
        $dir = New-TestFolder
        $job = Start-Job -ScriptBlock $downloadInJob -ArgumentList $modulePath, "$($server.BaseUri)/a.bin", $dir
        $copy, $liveTable = Receive-CompletedJob $job

        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.Downloader.PowerShell.Output.DownloadItem'
        $copy.Status | Should -Be 'Completed'
        $copy.Size | Should -Be 200KB
        $copy.Duration | Should -BeOfType [timespan]
        # The module's table view applies to the copy, which renders exactly as the live object did in the job.
        $copyTable = $copy | Format-Table | Out-String -Width 200
        $lines = @($copyTable -split '\r?\n' | Where-Object { $_.Trim() })
        ($lines[0] -split '\s+' | Where-Object { $_ }) -join ' ' | Should -Be 'Name Size Speed Time Status Hash Path'
        $lines[2] | Should -Match '^a\.bin\s+200 KiB\s.*Completed'
        $copyTable | Should -Be $liveTable
    }
}

Describe 'Many runspaces in one process' -Tag 'CI' {
    It 'runs in Start-ThreadJob' {
        $dir = New-TestFolder
        $job = Start-ThreadJob -ScriptBlock $downloadInJob -ArgumentList $modulePath, "$($server.BaseUri)/c.bin", $dir
        $item, $null = Receive-CompletedJob $job
        $item.Status | Should -Be 'Completed'
        Get-Sha256 $item.Path | Should -Be (Get-Sha256 (Join-Path $site.Www 'c.bin'))
    }

    # A fresh process, so the module's first load (its dependency load context) happens in several runspaces at once.
    It 'loads and runs in ForEach-Object -Parallel runspaces importing it at the same time' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
        $dir = New-TestFolder
        $script = Join-Path $dir 'parallel.ps1'
        Set-Content -Path $script -Value @"
`$ErrorActionPreference = 'Stop'
1..6 | ForEach-Object -ThrottleLimit 6 -Parallel {
    Import-Module '$modulePath'
    `$out = Join-Path '$dir' "r`$_"
    `$item = Start-Download '$($server.BaseUri)/a.bin', '$($server.BaseUri)/b.bin' -Destination `$out
    '{0} {1}' -f `$_, ((`$item | Where-Object Status -eq 'Completed').Count)
}
"@
        $run = Invoke-TestShell -ArgumentList '-NonInteractive', '-NoProfile', '-File', $script -WorkingDirectory $dir

        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stderr | Should -BeNullOrEmpty
        ($run.Stdout -split '\r?\n' | Where-Object { $_ } | Sort-Object) | Should -Be @('1 2', '2 2', '3 2', '4 2', '5 2', '6 2')
        foreach ($i in 1..6) {
            Get-Sha256 (Join-Path $dir "r$i/b.bin") | Should -Be (Get-Sha256 (Join-Path $site.Www 'b.bin'))
        }
    }
}
