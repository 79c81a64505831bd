@{
    RootModule             = 'Downloader.PowerShell.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '6f1f5a8e-3b0c-4d0e-9a43-2c1b7d8e9f10'
    Author                 = 'Downloader contributors'
    CompanyName            = 'Downloader contributors'
    Copyright              = '(c) Downloader contributors. MIT License.'
    Description            = 'Fast, resumable, multi-connection downloads as PowerShell jobs: URL lists through one connection budget, pause and resume, in-memory results, progress and one result object per file.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('Downloader.format.ps1xml')
    TypesToProcess         = @('Downloader.types.ps1xml')
    CmdletsToExport        = @('Get-Download', 'Register-DownloadService', 'Resume-Download', 'Set-Download', 'Start-Download', 'Start-DownloadStream', 'Stop-Download', 'Suspend-Download', 'Unregister-DownloadService')
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('download', 'http', 'parallel', 'resume', 'aria2', 'jobs', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/downloader-module/Downloader'
            LicenseUri   = 'https://github.com/downloader-module/Downloader/blob/main/LICENSE'
            ReleaseNotes = 'First release: Start-, Get-, Suspend-, Resume- and Stop-Download; download jobs; URL lists with one connection budget; resumable multi-connection transfers; in-memory downloads.'
        }
    }
}
