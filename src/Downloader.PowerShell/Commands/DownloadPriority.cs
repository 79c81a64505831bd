namespace Downloader.PowerShell.Commands;

/// <summary>
/// -Priority's values, the engine's <c>Downloader.Core.Priority.DownloadPriority</c> by name and number. A type of the
/// module's own, as every parameter type is: PowerShell reads the parameters' types while it imports the module,
/// before the engine's assemblies can be resolved (Isolation).
/// </summary>
public enum DownloadPriority
{
    /// <summary>Takes what its connections get (the default; the same as Foreground).</summary>
    Normal = 0,

    /// <summary>Takes what its connections get.</summary>
    Foreground = 1,

    /// <summary>Uses only what other traffic leaves idle.</summary>
    Background = 2,
}
