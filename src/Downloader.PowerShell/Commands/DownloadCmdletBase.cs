using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Downloader.Core;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// What every downloading cmdlet shares, the way WebRequestPSCmdlet serves Invoke-WebRequest and Invoke-RestMethod:
/// the HTTP and connection parameters, the one <see cref="BuildOptions"/> that turns them into
/// <see cref="DownloadOptions"/>, and the foreground lifecycle (DownloadCmdletBase.Foreground.cs). A concrete cmdlet
/// adds only its own parameters.
/// </summary>
/// <remarks>
/// The parameters belong to one parameter set, <see cref="DownloadSet"/>: the set that starts a download. A cmdlet
/// that does only that (Start-Download) has that one set; one that also has others (Resume-Download, whose -Id, -Name
/// and -Job resume a job that keeps its options) puts its own download parameters in it, and the shared ones stay
/// out of the others with nothing declared twice. They carry no defaults: an unbound parameter leaves the
/// <see cref="DownloadOptions"/> default in place, so defaults are written only there.
/// </remarks>
public abstract partial class DownloadCmdletBase : PSCmdlet
{
    /// <summary>The parameter set of the shared parameters: the one that starts a download.</summary>
    protected const string DownloadSet = "Download";

    #region Parameters

    /// <summary>Extra request headers. Authorization and Cookie go to the original host only.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public IDictionary? Headers { get; set; }

    [Parameter(ParameterSetName = DownloadSet)]
    public string? UserAgent { get; set; }

    /// <summary>Basic credentials, sent to the original host only.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = DownloadSet)]
    public Uri? Proxy { get; set; }

    [Parameter(ParameterSetName = DownloadSet)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter(ParameterSetName = DownloadSet)]
    [ValidateRange(0, 1000)]
    public int MaximumRetryCount { get; set; }

    [Parameter(ParameterSetName = DownloadSet)]
    [ValidateRange(0, 3600)]
    public int RetryIntervalSec { get; set; }

    /// <summary>Seconds to wait for the server's answer, and for data once it flows, before a connection is retried.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    /// <summary>One cap for all connections of the command; 0 for none.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    [ValidateRange(0, long.MaxValue)]
    public long MaximumBytesPerSecond { get; set; }

    /// <summary>Most connections for one file.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    [ValidateRange(1, 64)]
    public int ConnectionsPerFile { get; set; }

    #endregion

    /// <summary>
    /// The options for this command: <see cref="DownloadOptions"/>' defaults, changed only by the parameters the user
    /// bound, with the connections decided by <see cref="ConnectionPolicy"/>, the rule the CLI follows too.
    /// </summary>
    /// <param name="singleUrl">The command downloads one URL, not a list: one file may then use the whole run's
    /// connections.</param>
    /// <param name="totalConnections">Connections the whole run may use, when the command has such a parameter and it
    /// was bound (Start-Download -Threads); null lets the policy decide.</param>
    protected DownloadOptions BuildOptions(bool singleUrl, int? totalConnections = null)
    {
        var options = new DownloadOptions();
        if (Headers != null)
        {
            options = options with { Headers = ToDictionary(Headers) };
        }

        if (UserAgent != null)
        {
            options = options with { UserAgent = UserAgent };
        }

        if (Credential != null)
        {
            options = options with { Credential = Credential.GetNetworkCredential() };
        }

        if (Proxy != null)
        {
            options = options with { Proxy = Proxy };
        }

        if (SkipCertificateCheck)
        {
            options = options with { SkipCertificateCheck = true };
        }

        if (IsBound(nameof(MaximumRetryCount)))
        {
            options = options with { MaxRetries = MaximumRetryCount };
        }

        if (IsBound(nameof(RetryIntervalSec)))
        {
            options = options with { RetryBaseDelay = TimeSpan.FromSeconds(RetryIntervalSec) };
        }

        if (IsBound(nameof(TimeoutSec)))
        {
            options = options.WithTimeout(TimeSpan.FromSeconds(TimeoutSec));
        }

        if (MaximumBytesPerSecond > 0)
        {
            options = options with { MaxBytesPerSecond = MaximumBytesPerSecond };
        }

        options = ApplyNetwork(options);
        int? perFile = IsBound(nameof(ConnectionsPerFile)) ? ConnectionsPerFile : null;
        options = ConnectionPolicy.Apply(options, perFile, totalConnections, perHost: null, singleUrl);

        // What the policy decided, for a user who wonders why a download uses the connections it does.
        WriteVerbose($"Connections: {options.MaxConnectionsPerFile} per file, {options.TotalConnections} in all, {options.MaxConnectionsPerHost} per host.");

        // The session shares the command's cookie container, so it holds what the downloads set once they ran.
        PublishSession(options);
        return options;
    }

    /// <summary>Whether the user gave this parameter, as opposed to its property holding the type's default.</summary>
    protected bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>A header hashtable as the engine takes it; header names are case-insensitive, as in HTTP.</summary>
    protected static Dictionary<string, string> ToDictionary(IDictionary headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in headers)
        {
            result[entry.Key.ToString()!] = entry.Value?.ToString() ?? string.Empty;
        }

        return result;
    }
}
