# The module as a Gallery user gets it: the built folder published with Publish-PSResource to a repository that is a
# local folder, installed with Install-PSResource and with PowerShellGet 2's Install-Module into a clean CurrentUser
# scope (a child pwsh whose HOME is a folder of this test), imported by name, and run as the design card says. A
# second build with a higher ModuleVersion arrives through Update-PSResource; Uninstall-PSResource removes it.
# Nothing leaves the machine: every command names the folder repository, so PSGallery is never asked for anything.
BeforeDiscovery {
    # On Windows the CurrentUser scope is the real Documents folder, which no environment variable moves.
    $script:noCleanScope = $PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestServer.ps1')
    . (Join-Path $PSScriptRoot 'TestShell.ps1')
    $script:site = New-TestSite
    $script:server = Start-TestServer -Root $site.Www
    $script:repo = Join-Path $site.Root 'repository'
    $script:work = Join-Path $site.Root 'work'
    New-Item -ItemType Directory -Path $repo, $work | Out-Null
    Set-Content -Path (Join-Path $work 'urls.txt') -Value "$($server.BaseUri)/a.bin", "$($server.BaseUri)/b.bin"

    # Two builds to publish: the one built for this run, and the same with the next ModuleVersion.
    $built = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/Downloader'))
    $script:firstVersion = [version](Import-PowerShellDataFile (Join-Path $built 'Downloader.psd1')).ModuleVersion
    $script:nextVersion = [version]::new($firstVersion.Major, $firstVersion.Minor, $firstVersion.Build + 1)
    $script:first = Join-Path $site.Root 'first/Downloader'
    $script:next = Join-Path $site.Root 'next/Downloader'
    foreach ($copy in $first, $next) {
        New-Item -ItemType Directory -Path (Split-Path $copy) | Out-Null
        Copy-Item -Path $built -Destination $copy -Recurse
    }
    $manifest = Join-Path $next 'Downloader.psd1'
    (Get-Content -Raw $manifest) -replace "ModuleVersion(\s*)=(\s*)'$([regex]::Escape("$firstVersion"))'", "ModuleVersion`$1=`$2'$nextVersion'" |
        Set-Content -Path $manifest -NoNewline

    $script:psResourceGetUser = New-CleanUserEnvironment (Join-Path $site.Root 'home-psresourceget')
    $script:powerShellGetUser = New-CleanUserEnvironment (Join-Path $site.Root 'home-powershellget')

    # Runs a script in a new pwsh as the given user, in the folder with urls.txt; its output, or the test fails with
    # everything it wrote.
    function Invoke-AsUser([hashtable] $User, [string] $Script) {
        $file = Join-Path $site.Root "step-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -Path $file -Value ("`$ErrorActionPreference = 'Stop'`n`$PSStyle.OutputRendering = 'PlainText'`n" + $Script)
        $run = Invoke-TestShell -ArgumentList '-NoProfile', '-NonInteractive', '-File', $file -WorkingDirectory $work -Environment $User -Seconds 180
        $run.ExitCode | Should -Be 0 -Because "the step ends well:`n$($run.Stdout)`n$($run.Stderr)"
        $run.Stdout
    }

    # The design card's line in a user's session, after Import-Module by name: the module's path and version, then
    # one line per completed file, then the engine build that ran (PowerShell 7 loads Dependencies/net8.0) and whether
    # the installed folder still carries Windows PowerShell 5.1's netstandard2.0 build.
    $script:designCard = @'
Import-Module Downloader
$module = Get-Module Downloader
"module $($module.Version) $($module.ModuleBase)"
Get-Content urls.txt | Start-Download -Threads 10 -Destination $args[0] | ForEach-Object { "done $($_.Name) $($_.Status)" }
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Downloader.Core' } | ForEach-Object { "engine $($_.Location)" }
"desktop engine $(Test-Path (Join-Path $module.ModuleBase 'Dependencies/Downloader.Core.dll'))"
'@
    function Assert-DesignCardRan([string] $Output, [hashtable] $User, [version] $Version, [string] $Destination) {
        $Output | Should -Match "module $([regex]::Escape("$Version")) $([regex]::Escape($User.HOME))"
        $Output | Should -Match 'done a\.bin Completed'
        $Output | Should -Match 'done b\.bin Completed'
        $Output | Should -Match "engine $([regex]::Escape($User.HOME)).*[/\\]Dependencies[/\\]net8\.0[/\\]Downloader\.Core\.dll"
        $Output | Should -Match 'desktop engine True'
        foreach ($name in 'a.bin', 'b.bin') {
            Get-Sha256 (Join-Path $Destination $name) | Should -Be (Get-Sha256 (Join-Path $site.Www $name))
        }
    }

    function New-Destination { Join-Path $work ([guid]::NewGuid().ToString('N')) }
}

AfterAll {
    Stop-TestServer $server
    Remove-Item $site.Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The Gallery install' -Tag 'CI' -Skip:$noCleanScope {
    It 'publishes to a folder repository and installs with Install-PSResource into a clean CurrentUser scope' {
        $to = New-Destination
        $out = Invoke-AsUser $psResourceGetUser @"
"before: `$(@(Get-Module -ListAvailable Downloader).Count)"
Register-PSResourceRepository -Name Local -Uri '$repo' -Trusted
Publish-PSResource -Path '$first' -Repository Local
Install-PSResource Downloader -Repository Local -Scope CurrentUser
& { $designCard } '$to'
"@
        $out | Should -Match 'before: 0'
        Get-ChildItem $repo -Name | Should -Be "Downloader.$firstVersion.nupkg"
        Assert-DesignCardRan $out $psResourceGetUser $firstVersion $to
    }

    It 'installs from the same folder with PowerShellGet 2''s Install-Module' {
        $to = New-Destination
        $out = Invoke-AsUser $powerShellGetUser @"
"before: `$(@(Get-Module -ListAvailable Downloader).Count)"
Register-PSRepository -Name Local -SourceLocation '$repo' -InstallationPolicy Trusted
Install-Module Downloader -Repository Local -Scope CurrentUser
& { $designCard } '$to'
"@
        $out | Should -Match 'before: 0'
        Assert-DesignCardRan $out $powerShellGetUser $firstVersion $to
    }

    It 'brings a higher ModuleVersion with Update-PSResource, and that one loads' {
        $null = Invoke-AsUser $psResourceGetUser @"
Publish-PSResource -Path '$next' -Repository Local
Update-PSResource Downloader -Repository Local -Scope CurrentUser
"@
        # A new session, as a user's next one: a loaded binary module cannot be replaced in place.
        $to = New-Destination
        $out = Invoke-AsUser $psResourceGetUser "& { $designCard } '$to'"
        Assert-DesignCardRan $out $psResourceGetUser $nextVersion $to
    }

    It 'is removed by Uninstall-PSResource' {
        $out = Invoke-AsUser $psResourceGetUser @'
Uninstall-PSResource Downloader -Scope CurrentUser
"installed: $(@(Get-InstalledPSResource Downloader -Scope CurrentUser -ErrorAction SilentlyContinue).Count)"
"available: $(@(Get-Module -ListAvailable Downloader).Count)"
'@
        $out | Should -Match 'installed: 0'
        $out | Should -Match 'available: 0'
    }
}
