namespace Downloader.PowerShell.Tests;

/// <summary>PowerShell lines that make a fresh Invoke-WebRequest session in a hosted runspace, as $s.</summary>
internal static class WebSessionScript
{
    /// <summary>The hosted runspace loads Invoke-WebRequest's assembly on first use only, so it is loaded by name first.</summary>
    public const string New = """
        Add-Type -AssemblyName Microsoft.PowerShell.Commands.Utility
        $s = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
        """;
}
