# How each example of the README and of the cmdlets' help is run (Examples.Tests.ps1), by its key (Examples.ps1 says
# how keys are made). An example without an entry fails the suite, and so does an entry whose example is gone:
# after changing an example, the failure prints its new key and code; give the entry the new key and check that its
# Setup and Assert still fit.
#
# Entry fields:
#   Key     the example's key;  Example  its first line, for people;  Skip  why it cannot run here (not run then).
#   Setup   runs in the example's shell before it (ExampleSetup.ps1's functions and $TestOrigins, $TestSlowOrigin,
#           $TestWww are there): what the example assumes to exist.
#   After   runs in the same shell after it; what it writes comes back as $r.After. (Wait-Job -Timeout waits for a
#           job's Stopped, Suspended or Completed: Suspend-Download returns while it gets there;
#           Stop-Download once it is there.)
#   Assert  runs in the test with $r (Output, Errors, Terminating, After: deserialized) and $work (the folder the
#           example ran in). Every example must also end without an error record unless Errors lists the ids it may
#           write.
#   Slow    its example hosts map to the origin that sends 128 KiB/s per response, so a job is still running.
#   NoImport  the example imports the module itself.
#   Origins   the loopback origins its example hosts map to, in order of first mention (a scriptblock run in the test:
#           $squid, $auth, $tlsAuth, $mtls, $origins are Examples.Tests.ps1's servers); default the three origins.
#   TrustTestCa  the example's shell trusts the private CA of the HTTPS fronts, as a company machine trusts its CA.

function Get-Sha256Hex([string] $Path) { (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash }
function Assert-SameFile([string] $Actual, [string] $Served) {
    Test-Path -LiteralPath $Actual | Should -BeTrue -Because "$Actual should exist"
    Get-Sha256Hex $Actual | Should -Be (Get-Sha256Hex (Join-Path $www $Served))
}
function Assert-Completed($Items, [int] $Count) {
    @($Items).Count | Should -Be $Count
    @($Items | Where-Object Status -ne 'Completed') | Should -BeNullOrEmpty
}
function Select-DownloadItem($r) { @($r.Output | Where-Object { $_.PSObject.TypeNames -match 'DownloadItem$' }) }

@(
    @{ Key = '9c8ba6a39e'; Example = 'Install-Module Downloader'
        Skip = 'Install-Module reaches the PowerShell Gallery, and this machine has no internet; the Gallery test installs the same module from a local repository' }

    @{ Key = 'cf77a0ee5c'; Example = 'Import-Module ./out/Downloader/Downloader.psd1'; NoImport = $true
        Setup = { $null = New-Item -ItemType SymbolicLink -Path out -Target (Split-Path (Split-Path $TestModule)) }
        After = { (Get-Command -Module Downloader).Count }
        Assert = { param($r) $r.After | Should -Be 9 } }

    @{ Key = '14cb3cdd14'; Example = 'Get-Content urls.txt | Start-Download -Threads 10 (and four more lines)'
        Setup = {
            Write-UrlList a.bin, b.bin
            Write-Sha256Sums a.bin, b.bin
            $hash = (Get-FileHash -Algorithm SHA256 (Join-Path $TestWww c.bin)).Hash
            [pscustomobject]@{ Url = "$($TestOrigins[0])/c.bin"; OutFile = 'renamed.bin'; Hash = $hash } | Export-Csv list.csv
        }
        Assert = {
            param($r, $work)
            $items = Select-DownloadItem $r
            Assert-Completed $items 7
            Assert-SameFile (Join-Path $work a.bin) a.bin
            Assert-SameFile (Join-Path $work renamed.bin) c.bin
            Assert-SameFile (Join-Path $work big.iso) big.iso
            ($items | Where-Object HashAlgorithm -eq 'SHA512').Count | Should -Be 1
            @($items | Where-Object { $_.Path -match 'a \(1\)\.bin$' }).HashAlgorithm | Should -Be 'SHA256'
            $mirrored = $items[-1]
            Assert-SameFile $mirrored.Path big.iso
            @($mirrored.Sources).Count | Should -Be 2
        } }

    @{ Key = '0d6c8fd2d6'; Example = '$job = Start-Download https://example.com/big.iso -AsJob; Get-Download; Suspend-/Resume-Download; Receive-Job -Wait -AutoRemoveJob'
        Slow = $true
        After = { @(Get-Job).Count }
        Assert = {
            param($r, $work)
            @($r.Output | Where-Object { $_.PSObject.TypeNames -match 'DownloadInfo$' }).Count | Should -BeGreaterThan 0
            Assert-Completed (Select-DownloadItem $r) 1
            Assert-SameFile (Join-Path $work big.iso) big.iso
            $r.After | Should -Be 0 -Because 'Receive-Job -AutoRemoveJob removed the job'
        } }

    @{ Key = 'f2b6d67822'; Example = 'Stop-Download -Id $job.Id; Resume-Download -Path ./big.iso'
        Setup = { $job = Start-RunningDownload }
        Assert = {
            param($r, $work)
            $items = Select-DownloadItem $r
            Assert-Completed $items 1
            $items[0].Resumed | Should -BeTrue
            Assert-SameFile (Join-Path $work big.iso) big.iso
        } }

    @{ Key = '6333798271'; Example = '$item = Start-Download https://example.com/data.json -InMemory'
        Assert = {
            param($r, $work)
            $r.Output[-1] | Should -BeExactly ([System.IO.File]::ReadAllText((Join-Path $www data.json)))
            Get-ChildItem $work | Should -BeNullOrEmpty
        } }

    @{ Key = 'b283e46d91'; Example = '$s = Start-DownloadStream https://example.com/movie.mp4; mpv $s.Url; Stop-Download -Job $s.Job [-Finish]'
        Setup = { function mpv([string] $Url) { $global:played = (Invoke-WebRequest $Url -TimeoutSec 60).Content } }
        After = { [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([byte[]]$global:played)); $s.Job.State.ToString() }
        Assert = {
            param($r)
            $r.After[0] | Should -Be (Get-Sha256Hex (Join-Path $www movie.mp4)) -Because 'the player read the whole movie'
            $r.After[1] | Should -BeIn 'Stopped', 'Completed'
        } }

    @{ Key = '3aca2a4cde'; Example = '$sessions = New-PSSession -ComputerName dl1, dl2, dl3'
        Skip = 'WinRM to other machines: Remoting.Tests.ps1 runs this whole "Beyond one machine" recipe over SSH to a private sshd on 127.0.0.1' }
    @{ Key = 'dd0823139e'; Example = '# Largest hosts first, each to the machine with the fewest URLs so far.'
        Skip = 'part of the "Beyond one machine" recipe, which Remoting.Tests.ps1 runs over SSH' }
    @{ Key = '5cafd2c19a'; Example = '$items = Invoke-Command -Session $sessions -ThrottleLimit 32 { ... }'
        Skip = 'part of the "Beyond one machine" recipe, which Remoting.Tests.ps1 runs over SSH' }

    @{ Key = 'b11c16d16b'; Example = 'Start-Download (Get-S3PresignedUrl ...) -RefreshUrl { ... }'
        # Get-S3PresignedUrl (AWS.Tools.S3) stands in here for a signer of loopback URLs with the same parameters. Its
        # first URL expires after one request (?once=, TestServer.ps1), so the download needs -RefreshUrl to finish.
        Setup = { $script:signed = 0; function Get-S3PresignedUrl($BucketName, $Key, [datetime] $Expires) { "$($TestOrigins[0])/$Key`?X-Amz-Expires=900&X-Amz-Signature=$(++$script:signed)" + $(if ($signed -eq 1) { "&once=$([guid]::NewGuid().ToString('N'))" }) } }
        After = { $script:signed }
        Assert = { param($r, $work) Assert-Completed (Select-DownloadItem $r) 1; Assert-SameFile (Join-Path $work big.iso) big.iso; $r.After | Should -Be 2 -Because 'the expired URL was signed again once' } }

    @{ Key = '0ee49e0b03'; Example = 'Get-Download'
        Setup = { $null = Start-Download "$($TestOrigins[0])/a.bin" }
        Assert = { param($r) @($r.Output).Count | Should -Be 1; $r.Output[0].State | Should -Be 'Completed'; $r.Output[0].Completed | Should -Be 1 } }

    @{ Key = '7d5da066f3'; Example = 'Get-Download -Name nightly* | Format-List'
        Setup = { $null = Start-RunningDownload -Name nightly-iso; $null = Start-Download "$($TestOrigins[0])/a.bin" -AsJob -Name other }
        Assert = { param($r) ($r.Output | Out-String) | Should -Match 'nightly-iso' } }

    @{ Key = 'e0b4831178'; Example = 'Resume-Download -Id 3'
        Setup = { $job = Start-RunningDownload -Id 3; Suspend-Download -Id 3 }
        After = { (Get-Job -Id 3 | Wait-Job -Timeout 90).State.ToString() }
        Assert = { param($r, $work) $r.After | Should -Be 'Completed'; Assert-SameFile (Join-Path $work big.iso) big.iso } }

    @{ Key = '6190ae8200'; Example = 'Resume-Download -Path .\big.iso'
        Setup = { $job = Start-RunningDownload; Stop-Download -Job $job }
        Assert = {
            param($r, $work)
            Assert-Completed (Select-DownloadItem $r) 1
            $r.Output[0].Resumed | Should -BeTrue
            Assert-SameFile (Join-Path $work big.iso) big.iso
        } }

    @{ Key = 'bfc719fdea'; Example = 'Get-Content urls.txt | Start-Download -Threads 10'
        Setup = { Write-UrlList a.bin, b.bin, c.bin }
        Assert = { param($r, $work) Assert-Completed (Select-DownloadItem $r) 3; foreach ($n in 'a.bin', 'b.bin', 'c.bin') { Assert-SameFile (Join-Path $work $n) $n } } }

    @{ Key = 'c87f7e3830'; Example = 'Import-Csv list.csv | Start-Download'
        Setup = {
            $(foreach ($n in 'a.bin', 'b.bin') {
                [pscustomobject]@{ Url = "$($TestOrigins[0])/$n"; OutFile = "from-csv-$n"; Sha256 = (Get-FileHash (Join-Path $TestWww $n)).Hash }
            }) | Export-Csv list.csv
        }
        Assert = {
            param($r, $work)
            Assert-Completed (Select-DownloadItem $r) 2
            Assert-SameFile (Join-Path $work from-csv-b.bin) b.bin
            $r.Output.HashAlgorithm | Should -Be 'SHA256', 'SHA256'
        } }

    @{ Key = '37aecafd5d'; Example = 'Start-Download https://example.com/tool.zip -Hash sha512:9b71d224bd62f378...'
        Assert = { param($r, $work) Assert-Completed (Select-DownloadItem $r) 1; $r.Output[0].HashAlgorithm | Should -Be 'SHA512'; Assert-SameFile (Join-Path $work tool.zip) tool.zip } }

    @{ Key = 'ff461acce5'; Example = 'Get-Content urls.txt | Start-Download -ChecksumFile .\SHA256SUMS'
        Setup = { Write-UrlList a.bin, b.bin, c.bin; Write-Sha256Sums a.bin, b.bin }
        Assert = {
            param($r)
            $items = Select-DownloadItem $r
            Assert-Completed $items 3
            ($items | Where-Object HashAlgorithm -eq 'SHA256').Count | Should -Be 2 -Because 'c.bin is not listed, so unchecked'
        } }

    @{ Key = '38cc7fe64f'; Example = '$job = Start-Download https://example.com/big.iso -AsJob; Wait-Job $job; Receive-Job $job'
        Assert = { param($r, $work) $r.Output[0].State | Should -Be 'Completed'; Assert-Completed (Select-DownloadItem $r) 1; Assert-SameFile (Join-Path $work big.iso) big.iso } }

    @{ Key = 'b397323805'; Example = '(Start-Download https://example.com/data.json -InMemory).Content'
        Assert = { param($r) [byte[]]$r.Output | Should -Be ([System.IO.File]::ReadAllBytes((Join-Path $www data.json))) } }

    @{ Key = '6c212c344f'; Example = 'Start-Download (Get-SignedUrl big.iso) -RefreshUrl { param($Item) Get-SignedUrl big.iso }'
        # The help says Get-SignedUrl stands for your own signing command: here, one that signs loopback URLs; its
        # first URL expires after one request (?once=, TestServer.ps1), so the download needs -RefreshUrl to finish.
        Setup = { $script:signed = 0; function Get-SignedUrl([string] $Name) { "$($TestOrigins[0])/$Name`?sig=$(++$script:signed)" + $(if ($signed -eq 1) { "&once=$([guid]::NewGuid().ToString('N'))" }) } }
        After = { $script:signed }
        Assert = { param($r, $work) Assert-Completed (Select-DownloadItem $r) 1; Assert-SameFile (Join-Path $work big.iso) big.iso; $r.After | Should -Be 2 -Because 'the expired URL was signed again once' } }

    @{ Key = 'fa2dfcbbc8'; Example = '(Start-Download https://a.example.com/big.iso -Mirror https://b.example.org/big.iso).Sources'
        Assert = {
            param($r, $work)
            @($r.Output).Count | Should -Be 2
            ($r.Output | Measure-Object -Property Bytes -Sum).Sum | Should -Be (Get-Item (Join-Path $www big.iso)).Length
            Assert-SameFile (Join-Path $work big.iso) big.iso
        } }

    @{ Key = '7d5cdce5d4'; Example = '$s = Start-DownloadStream https://example.com/movie.mp4; mpv $s.Url'
        Setup = { function mpv([string] $Url) { $global:played = (Invoke-WebRequest $Url -TimeoutSec 60).Content } }
        After = { [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([byte[]]$global:played)); Stop-Download -Job $s.Job }
        Assert = { param($r) $r.After[0] | Should -Be (Get-Sha256Hex (Join-Path $www movie.mp4)) } }

    @{ Key = '7c66610515'; Example = 'Stop-Download -Job $s.Job'
        Setup = { $s = Start-DownloadStream "$TestSlowOrigin/big.iso"; Wait-PartialFile (Join-Path $PWD big.iso) }
        After = { ($s.Job | Wait-Job -Timeout 30).State.ToString(); Test-Path big.iso.part; Test-Path big.iso }
        Assert = { param($r) $r.After | Should -Be 'Stopped', $true, $false } }

    @{ Key = '66be8ded2b'; Example = 'Stop-Download -Name nightly'
        Setup = { $job = Start-RunningDownload -Name nightly }
        After = { ($job | Wait-Job -Timeout 30).State.ToString(); Test-Path big.iso.part; Test-Path big.iso.downloader }
        Assert = { param($r) $r.After | Should -Be 'Stopped', $true, $true } }

    @{ Key = 'df9409fc44'; Example = 'Stop-Download -Job $s.Job -Finish'
        Setup = { $s = Start-DownloadStream "$TestSlowOrigin/big.iso"; Wait-PartialFile (Join-Path $PWD big.iso) }
        After = { ($s.Job | Wait-Job -Timeout 90).State.ToString() }
        Assert = { param($r, $work) $r.After | Should -Be 'Completed'; Assert-SameFile (Join-Path $work big.iso) big.iso } }

    @{ Key = 'c28980c03a'; Example = '$job = Start-Download https://example.com/big.iso -Priority Background -AsJob; Set-Download -Id $job.Id -MaximumBytesPerSecond 1MB; Get-Download | Set-Download -Priority Normal'
        Slow = $true
        After = {
            $info = Get-Download -Id $job.Id
            "$($info.State) $($info.Priority) $($info.MaximumBytesPerSecond)"
            Stop-Download -Job $job -DeletePartial
        }
        Assert = { param($r) $r.After | Should -Be 'Running Normal 1048576' } }

    @{ Key = '1f745e4ee4'; Example = 'Set-Download -Id 3 -MaximumBytesPerSecond 1MB'
        Setup = { $job = Start-RunningDownload -Id 3 }
        After = { (Get-Download -Id 3).MaximumBytesPerSecond; Stop-Download -Id 3 }
        Assert = { param($r) $r.After | Should -Be 1048576 } }

    @{ Key = 'eb8f6685b5'; Example = 'Get-Download | Set-Download -Priority Background'
        Setup = { $job = Start-RunningDownload }
        After = { (Get-Download -Job $job).Priority.ToString(); Stop-Download -Job $job }
        Assert = { param($r) $r.After | Should -Be 'Background' } }

    @{ Key = 'b4617770af'; Example = 'Get-Download -Persisted | Set-Download -MaximumBytesPerSecond 2MB'
        Setup = { Use-ExampleQueue; $null = Start-Download "$TestSlowOrigin/big.iso" -Persist }
        After = {
            (Get-Download -Persisted -WarningAction SilentlyContinue).MaximumBytesPerSecond
            Get-Download -Persisted | Stop-Download -DeletePartial
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (@(Get-Download -Persisted -WarningAction SilentlyContinue).Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        }
        Assert = { param($r) $r.After | Should -Be 2097152 } }

    @{ Key = 'bc149d8a48'; Example = 'Suspend-Download -Id 3'
        Setup = { $job = Start-RunningDownload -Id 3 }
        After = { (Get-Job -Id 3 | Wait-Job -Timeout 30).State.ToString(); Stop-Download -Id 3 }
        Assert = { param($r) $r.After | Should -Be 'Suspended' } }

    @{ Key = '1fb2c33072'; Example = 'Get-Download | Suspend-Download'
        Setup = { $job = Start-RunningDownload }
        After = { ($job | Wait-Job -Timeout 30).State.ToString(); Stop-Download -Job $job }
        Assert = { param($r) $r.After | Should -Be 'Suspended' } }

    @{ Key = '8a8131f777'; Example = '$proxyCred = Get-Credential proxyuser; Start-Download ... -Proxy ... -ProxyCredential $proxyCred; ... -NoProxy'
        # proxy.example.net:3128 is a real squid requiring Basic auth; Get-Credential's prompt is answered by a function
        # of that name (functions win over cmdlets) returning squid's credential.
        Origins = { $origins[0].BaseUri, $squid.Uri }
        Setup = { function Get-Credential([string] $UserName) { [pscredential]::new($UserName, (ConvertTo-SecureString $TestProxyPassword -AsPlainText -Force)) } }
        Assert = {
            param($r, $work)
            Assert-Completed (Select-DownloadItem $r) 2
            Assert-SameFile (Join-Path $work big.iso) big.iso
            Assert-SameFile (Join-Path $work tool.zip) tool.zip
            $log = Get-TestSquidLog $squid
            @($log -match "/big\.iso $TestProxyUser ") | Should -Not -BeNullOrEmpty -Because "squid served big.iso to $TestProxyUser`n$($log -join "`n")"
            @($log -match 'tool\.zip') | Should -BeNullOrEmpty -Because '-NoProxy went direct'
        } }
    @{ Key = '14295d4c86'; Example = 'Start-Download ... -Proxy ... -ProxyUseDefaultCredentials'
        Skip = 'the Windows sign-in (Negotiate/NTLM to the proxy with the logged-on identity) exists on Windows only; -ProxyCredential against a real squid is the example above' }

    @{ Key = 'a8d4ba8295'; Example = '$token = Read-Host -AsSecureString; Start-Download https://... -Authentication Bearer -Token $token; ... -Credential (Get-Credential) -AllowUnencryptedAuthentication'
        # https://example.com is an HTTPS front (private CA, trusted by the shell) of an origin that answers 401 unless
        # the Authorization header is the token or alice's Basic credential; example.org is that origin over plain http.
        # Read-Host and Get-Credential are answered by functions of those names returning the token and alice's credential.
        Origins = { $tlsAuth.BaseUri, $auth.BaseUri }; TrustTestCa = $true
        Setup = {
            function Read-Host([string] $Prompt, [switch] $AsSecureString) { ConvertTo-SecureString $TestToken -AsPlainText -Force }
            function Get-Credential { [pscredential]::new($TestUser, (ConvertTo-SecureString $TestPassword -AsPlainText -Force)) }
        }
        Assert = {
            param($r, $work)
            Assert-Completed (Select-DownloadItem $r) 2
            Assert-SameFile (Join-Path $work artifact.zip) artifact.zip
            Assert-SameFile (Join-Path $work nightly.zip) nightly.zip
        } }
    @{ Key = '4c1fbca4ba'; Example = 'Start-Download https://intranet.corp.example/report.pdf -UseDefaultCredentials'
        Skip = 'Negotiate with the caller''s identity needs a Windows sign-in or a Kerberos realm (KDC and ticket), neither of which this machine has' }

    @{ Key = 'e41b594eca'; Example = 'Start-Download https://... -TrustedCertificateAuthority ./company-ca.pem -Certificate (Get-PfxCertificate ./me.pfx)'
        # https://example.com is an HTTPS front whose certificate the private CA signed (not trusted by the machine), and
        # which closes any connection without a client certificate that CA signed.
        Origins = { $mtls.BaseUri }
        Setup = { Copy-Item (Join-Path $TestPki company-ca.pem), (Join-Path $TestPki me.pfx) . }
        Assert = {
            param($r, $work)
            Assert-Completed (Select-DownloadItem $r) 1
            Assert-SameFile (Join-Path $work big.iso) big.iso
            @($mtls.Clients) | Should -Contain 'CN=alice' -Because 'the front saw the client certificate'
            @($mtls.Clients) | Should -Not -Contain 'refused'
        } }

    @{ Key = '62f3383a8d'; Example = 'Invoke-WebRequest .../sign-in -SessionVariable s ...; Start-Download ... -WebSession $s; Start-Download .../sign-in -SessionVariable t; ...'
        # example.com is an origin whose /sign-in sets a session cookie and whose other pages answer 401 without it.
        Origins = { $auth.BaseUri }
        Assert = {
            param($r, $work)
            $items = Select-DownloadItem $r
            Assert-Completed $items 2
            Assert-SameFile (Join-Path $work report.pdf) report.pdf
            Get-Content (Join-Path $work sign-in) -Raw | Should -Be 'signed in'
            $pages = @($r.Output | Where-Object { $_.PSObject.Properties['StatusCode'] })
            $pages.StatusCode | Should -Be 200, 200
            $pages[-1].RawContentLength | Should -Be (Get-Item (Join-Path $www me)).Length -Because 'the session from -SessionVariable signed in to /me'
        } }

    @{ Key = '01b0aed1cf'; Example = '$entry = Start-Download https://example.com/big.iso -Persist (and three more lines)'; Slow = $true
        Setup = { Use-ExampleQueue }
        After = { Wait-PersistedEnd; (Get-Download -Persisted -Result).Path }
        Assert = {
            param($r, $work)
            @($r.Output | Where-Object { $_.PSObject.TypeNames -match 'PersistedDownload$' }).Count | Should -Be 1 -Because 'Get-Download -Persisted lists the one entry'
            $r.After | Should -Be (Join-Path $work big.iso)
            Assert-SameFile (Join-Path $work big.iso) big.iso
        } }

    @{ Key = 'cea6ba7592'; Example = 'Get-Download -Persisted -Result (and one more line)'
        Setup = { Use-ExampleQueue; $null = Start-Download "$($TestOrigins[0])/a.bin" -Persist; Wait-PersistedEnd }
        After = { @(Get-Download -Persisted).Count }
        Assert = {
            param($r, $work)
            $items = Select-DownloadItem $r
            Assert-Completed $items 1
            $items[0].Path | Should -Be (Join-Path $work a.bin)
            Assert-SameFile (Join-Path $work a.bin) a.bin
            $r.After | Should -Be 0 -Because 'Stop-Download removed the completed entry from the queue'
        } }

    @{ Key = '7dff3982a9'; Example = 'Register-DownloadService (and one more line)'
        Setup = { Use-ExampleQueue }
        Assert = {
            param($r, $work)
            $services = @($r.Output | Where-Object { $_.PSObject.TypeNames -match 'DownloadService$' })
            $services.Installed | Should -Be $true, $false
            $services[0].Command | Should -Match 'WorkerHost\]::Run\(\)'
            if ($IsLinux) { $services[0].Path | Should -Be (Join-Path $work 'config/systemd/user/downloader-queue.service') }
            Test-Path $services[0].Path | Should -BeFalse -Because 'Unregister-DownloadService removed it'
        } }

    @{ Key = 'ec0420adc7'; Example = 'Register-DownloadService'
        Setup = { Use-ExampleQueue }
        # The definition's text, then the trigger removed again (on Windows it is a real task of the CI user).
        After = {
            Get-ChildItem -Recurse -File -Path $PWD -Include 'downloader-queue.*' | Get-Content -Raw
            $null = Unregister-DownloadService -WarningAction SilentlyContinue
        }
        Assert = {
            param($r, $work)
            @($r.Output)[-1].Installed | Should -BeTrue
            "$($r.After)" | Should -Match 'WorkerHost\]::Run\(\)'
            if ($IsLinux) { "$($r.After)" | Should -Match 'ExecStart=".*(pwsh|dotnet)" .*"-NoProfile"' }
        } }

    @{ Key = 'f7e18843e3'; Example = 'Unregister-DownloadService'
        Setup = { Use-ExampleQueue; $null = Register-DownloadService -WarningAction SilentlyContinue }
        Assert = {
            param($r, $work)
            @($r.Output)[-1].Installed | Should -BeFalse
            Test-Path @($r.Output)[-1].Path | Should -BeFalse
        } }
)
