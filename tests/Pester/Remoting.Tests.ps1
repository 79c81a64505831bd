# The README's "Beyond one machine" recipe, run for real over PowerShell remoting on SSH: a private sshd on 127.0.0.1
# (tests/remoting/sshd.sh: its own config, keys and free port, a pwsh subsystem whose PSModulePath holds the built
# module) and two sessions to it. Needs openssh-server (.ci/run installs it); Linux only. From the repository root:
#   Invoke-Pester ./tests/Pester/Remoting.Tests.ps1 -Output Detailed
#
# The recipe's text is read from README.md and run as typed, except for what only names machines and places this
# test cannot have (Resolve-Recipe fails when the README no longer has them, so a changed recipe is seen):
#   - `New-PSSession -ComputerName dl1, dl2, dl3` becomes two SSH sessions to the private sshd:
#     `New-PSSession -HostName 127.0.0.1, 127.0.0.1 -Port … -KeyFilePath … -Options @{ UserKnownHostsFile = …;
#     BatchMode = 'yes' } -ConnectingTimeout 30000` (the test's own known_hosts; never a prompt);
#   - `D:\downloads` becomes a folder of the test's temp folder.
# urls.txt, in the folder the recipe runs in, lists files of two loopback origins (two hosts, so both sessions get
# some) and one URL with user:password@ that answers 404.
Describe 'Beyond one machine, over SSH' -Tag 'CI' -Skip:(-not $IsLinux) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Examples.ps1')
        . (Join-Path $PSScriptRoot 'TestServer.ps1')
        $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        if (-not (Test-Path /usr/sbin/sshd)) { throw 'These tests need sshd: apt-get install openssh-server (.ci/run installs it)' }
        $script:root = Join-Path ([System.IO.Path]::GetTempPath()) "downloader-remoting-$([guid]::NewGuid().ToString('N'))"
        $script:www = (New-Item -ItemType Directory -Path (Join-Path $root 'www') -Force).FullName
        $random = [System.Random]::new(11)
        foreach ($name in 'one.bin', 'two.bin', 'three.bin', 'four.bin') {
            $bytes = [byte[]]::new(400KB); $random.NextBytes($bytes)
            [System.IO.File]::WriteAllBytes((Join-Path $www $name), $bytes)
        }
        $script:origins = @((Start-TestServer -Root $www -Workers 4), (Start-TestServer -Root $www -Workers 4))
        $script:sshd = (& bash (Join-Path $repo 'tests/remoting/sshd.sh') start (Join-Path $repo 'out') @(Get-PwshCommand)) | Select-Object -Last 1
        if ($LASTEXITCODE -ne 0 -or -not $sshd) { throw "tests/remoting/sshd.sh start failed ($LASTEXITCODE)" }

        function Resolve-Recipe([string] $Code, [hashtable] $Replace) {
            foreach ($old in $Replace.Keys) {
                if (-not $Code.Contains($old)) { throw "The README's recipe no longer has '$old': update Remoting.Tests.ps1's adaptation." }
                $Code = $Code.Replace($old, $Replace[$old])
            }
            $Code
        }

        $fence = Get-ReadmeFence (Join-Path $repo 'README.md') | Where-Object Section -eq 'Beyond one machine'
        $fence | Should -Not -BeNullOrEmpty -Because 'the README has a "Beyond one machine" recipe'
        $script:dest = Join-Path $root 'downloads'
        $port = Get-Content (Join-Path $sshd 'port')
        $session = "New-PSSession -HostName 127.0.0.1, 127.0.0.1 -Port $port -KeyFilePath '$(Join-Path $sshd client_key)' " +
            "-Options @{ UserKnownHostsFile = '$(Join-Path $sshd known_hosts)'; BatchMode = 'yes' } -ConnectingTimeout 30000"
        $script:recipe = Resolve-Recipe ($fence.Lines -join "`n") @{
            'New-PSSession -ComputerName dl1, dl2, dl3' = $session
            'D:\downloads' = $dest
        }
        $script:work = (New-Item -ItemType Directory -Path (Join-Path $root 'work') -Force).FullName
        $script:bad = "http://user:secret-password@$(([uri]$origins[0].BaseUri).Authority)/status/404"
        $urls = @('one.bin', 'two.bin' | ForEach-Object { "$($origins[0].BaseUri)/$_" }) +
            @('three.bin', 'four.bin' | ForEach-Object { "$($origins[1].BaseUri)/$_" }) + $bad
        [System.IO.File]::WriteAllLines((Join-Path $work 'urls.txt'), [string[]]$urls)
        $after = '[pscustomobject]@{ Items = $items; Failed = $failed; Sessions = @($sessions).Count; Open = @(Get-PSSession | Where-Object State -eq Opened).Count }'
        $script:r = Invoke-ExampleProcess -Code $recipe -After $after -WorkDir $work -Variables @{} `
            -ModulePath (Join-Path $repo 'out/Downloader/Downloader.psd1') -TimeoutSec 240
        $script:because = "the recipe ran as:`n$recipe`n$($r.Stderr)"
    }

    AfterAll {
        if ($sshd) { & bash (Join-Path $repo 'tests/remoting/sshd.sh') stop $sshd }
        foreach ($server in $origins) { if ($server) { Stop-TestServer $server } }
        Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'runs to the end in two sessions, and closes them' {
        $r.Terminating | Should -BeNullOrEmpty -Because $because
        $r.After.Sessions | Should -Be 2
        $r.After.Open | Should -Be 0 -Because 'Remove-PSSession closed both'
    }

    It 'brings every file back deserialized and Completed, with the right bytes, from both sessions' {
        $items = @($r.After.Items)
        $items.Count | Should -Be 4 -Because $because
        $items | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'Deserialized.Downloader.PowerShell.Output.DownloadItem' }
        @($items | Where-Object Status -ne 'Completed') | Should -BeNullOrEmpty
        @($items.RunspaceId | Sort-Object -Unique).Count | Should -Be 2 -Because 'the list was shared by the two sessions'
        foreach ($name in 'one.bin', 'two.bin', 'three.bin', 'four.bin') {
            (Get-FileHash (Join-Path $dest $name)).Hash | Should -Be (Get-FileHash (Join-Path $www $name)).Hash
        }
        ($items | Where-Object { $_.Url.AbsolutePath -eq '/one.bin' }).Size | Should -Be 400KB
    }

    It 'brings the bad URL back as an error record whose target is the URL, password redacted' {
        $failed = @($r.After.Failed)
        $failed.Count | Should -Be 1 -Because $because
        $failed[0].FullyQualifiedErrorId | Should -Be 'Downloader.HttpStatus,Downloader.PowerShell.Commands.StartDownloadCommand'
        "$($failed[0].TargetObject)" | Should -BeExactly $bad.Replace(':secret-password@', ':***@')
        $printed = @($r.Output | Where-Object { $_ -is [string] })
        $printed | Should -Be "127.0.0.1 $($failed[0].FullyQualifiedErrorId) $($bad.Replace(':secret-password@', ':***@'))"
        # The password is nowhere in what came back: objects, errors, their messages, or what the shell printed.
        foreach ($text in [System.IO.File]::ReadAllText((Join-Path $root 'result.xml')), $r.Stdout, $r.Stderr) {
            $text | Should -Not -Match 'secret-password'
        }
    }
}
