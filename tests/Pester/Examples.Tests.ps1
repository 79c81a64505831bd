# Every PowerShell example of README.md and of the cmdlets' help, run as typed in a new pwsh process against loopback
# origins (Examples.ps1 says what an example is, its key, and the two substitutions made to its text).
# Examples.map.ps1 says how each is run, or why it cannot run here. An example without an entry fails, and so does
# an entry without an example, so an example cannot be added or changed without its test. From the repository root:
#   Invoke-Pester ./tests/Pester/Examples.Tests.ps1 -Output Detailed
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Examples.ps1')
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $repo 'out/Downloader/Downloader.psd1')
    $examples = @(Get-ReadmeExample (Join-Path $repo 'README.md')) + @(Get-HelpExample Downloader)
    $cases = foreach ($e in $examples) {
        @{ Key = $e.Key; Source = $e.Source; Code = $e.Code; FirstLine = ($e.Code -split "`n")[0].Trim() }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Examples.ps1')
    . (Join-Path $PSScriptRoot 'TestServer.ps1')
    . (Join-Path $PSScriptRoot 'TestTls.ps1')
    . (Join-Path $PSScriptRoot 'TestSquid.ps1')
    . (Join-Path $PSScriptRoot 'ExampleSetup.ps1')
    $script:map = . (Join-Path $PSScriptRoot 'Examples.map.ps1')
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:module = Join-Path $repo 'out/Downloader/Downloader.psd1'
    $script:root = Join-Path ([System.IO.Path]::GetTempPath()) "downloader-examples-$([guid]::NewGuid().ToString('N'))"
    $script:www = (New-Item -ItemType Directory -Path (Join-Path $root 'www') -Force).FullName
    $random = [System.Random]::new(7)
    $files = @{ 'a.bin' = 200KB; 'b.bin' = 150KB; 'c.bin' = 100KB; 'tool.zip' = 300KB; 'big.iso' = 3MB; 'movie.mp4' = 3MB
        'artifact.zip' = 200KB; 'nightly.zip' = 150KB; 'report.pdf' = 100KB; 'me' = 1KB }
    foreach ($file in $files.GetEnumerator()) {
        $bytes = [byte[]]::new($file.Value); $random.NextBytes($bytes)
        [System.IO.File]::WriteAllBytes((Join-Path $www $file.Key), $bytes)
    }
    [System.IO.File]::WriteAllText((Join-Path $www 'data.json'), '{ "name": "Downloader", "examples": true }')
    $script:origins = @(1..3 | ForEach-Object { Start-TestServer -Root $www -Workers 4 })
    $script:slow = Start-TestServer -Root $www -BytesPerSecond 128KB
    # The company-network examples' real components: squid with Basic auth, an origin that checks a bearer token, a
    # Basic credential or a sign-in cookie, and HTTPS fronts with a private CA (one also requiring a client
    # certificate that CA signed). ExampleSetup.ps1 holds the secrets they expect.
    $script:squid = Start-TestSquid (Join-Path $root 'squid') $TestProxyUser $TestProxyPassword
    $basic = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("${TestUser}:$TestPassword"))
    $script:auth = Start-TestServer -Root $www -Workers 4 -Authorization "Bearer $TestToken", "Basic $basic" -Cookie $TestSessionCookie
    $script:pki = New-TestPki (New-Item -ItemType Directory -Path (Join-Path $root 'pki') -Force).FullName
    $script:tlsAuth = Start-TlsFront -Target $auth.BaseUri -Certificate $pki.Server
    $script:mtls = Start-TlsFront -Target $origins[0].BaseUri -Certificate $pki.Server -ClientCa $pki.Ca
    $script:n = 0
}

AfterAll {
    foreach ($server in @($origins) + @($slow) + @($auth)) { if ($server) { Stop-TestServer $server } }
    foreach ($front in @($tlsAuth) + @($mtls)) { if ($front) { Stop-TlsFront $front } }
    if ($squid) { Stop-TestSquid $squid }
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Examples' -Tag 'CI' {
    It '<Source>: <FirstLine>' -ForEach $cases {
        $entry = $map | Where-Object { $_.Key -eq $Key } | Select-Object -First 1
        if (-not $entry) {
            throw "No entry in tests/Pester/Examples.map.ps1 for this example (key '$Key', $Source). Add one with Key = '$Key' (or give a changed example's old entry this key):`n$Code"
        }
        if ($entry.Skip) { Set-ItResult -Skipped -Because $entry.Skip; return }

        $script:n++
        $work = (New-Item -ItemType Directory -Path (Join-Path $root "$n/work") -Force).FullName
        $originsUsed = if ($entry.Origins) { & $entry.Origins } elseif ($entry.Slow) { @($slow.BaseUri) * 3 } else { $origins.BaseUri }
        $text = Convert-ExampleToLoopback $Code $originsUsed $www
        $setup = ". '$(Join-Path $PSScriptRoot 'ExampleSetup.ps1')'`n$($entry.Setup)"
        $vars = @{ TestOrigins = [string[]]$origins.BaseUri; TestSlowOrigin = $slow.BaseUri; TestWww = $www; TestModule = $module
            TestPki = Split-Path $pki.CaPem }
        # TrustTestCa: the machine trusts the private CA, as a company's machines trust the company's (.NET on Linux
        # reads its roots from SSL_CERT_FILE).
        $environment = if ($entry.TrustTestCa) { @{ SSL_CERT_FILE = $pki.CaPem } } else { @{} }
        $r = Invoke-ExampleProcess -Code $text -Setup $setup -After "$($entry.After)" -WorkDir $work -Variables $vars `
            -ModulePath $module -NoImport:([bool]$entry.NoImport) -Environment $environment

        $because = "the example ran as:`n$text`n$($r.Stderr)"
        $r.Terminating | Should -BeNullOrEmpty -Because $because
        $unexpected = @($r.Errors | Where-Object { $_.FullyQualifiedErrorId -notin @($entry.Errors) })
        ($unexpected | ForEach-Object { "$_ ($($_.FullyQualifiedErrorId))" }) | Should -BeNullOrEmpty -Because $because
        if ($entry.Assert) { & $entry.Assert $r $work }
    }

    It 'has no entry for an example that no longer exists' {
        Import-Module $module
        $keys = (@(Get-ReadmeExample (Join-Path $repo 'README.md')) + @(Get-HelpExample Downloader)).Key
        $stale = $map | Where-Object { $_.Key -notin $keys }
        ($stale | ForEach-Object { "$($_.Key): $($_.Example)" }) | Should -BeNullOrEmpty -Because 'an entry whose example changed must be given its new key'
    }
}
