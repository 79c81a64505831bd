using System;

namespace Downloader.Core;

/// <summary>
/// The one rule for how many connections a request gets, used by the CLI and every cmdlet alike. What the user
/// asked for is honoured: a single URL asked to use 32 connections gets 32, whichever front end asked. Defaults come
/// from <see cref="DownloadOptions"/>, the only place they are written.
/// </summary>
public static class ConnectionPolicy
{
    /// <summary>The connections a list runs at once when the user does not say (a batch's "-Threads").</summary>
    public const int DefaultTotal = 8;

    /// <param name="options">The options to derive from; every other field is kept.</param>
    /// <param name="perFile">Connections one file may use; null keeps the options' value.</param>
    /// <param name="total">Connections the whole run may use; null: <see cref="DefaultTotal"/> for a list, and for a
    /// single URL as many as one file may use (at least the default).</param>
    /// <param name="perHost">Connections to one host; null: the options' default, raised to what one file or the
    /// run was explicitly given, so an explicit number is never capped by a default.</param>
    /// <param name="singleUrl">True when the request is one URL, not a list.</param>
    public static DownloadOptions Apply(DownloadOptions options, int? perFile, int? total, int? perHost, bool singleUrl)
    {
        int file = perFile ?? options.MaxConnectionsPerFile;
        if (file < 1 || total < 1 || perHost < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(perFile), "Connection counts must be at least 1.");
        }

        int run = total ?? (singleUrl ? Math.Max(DefaultTotal, file) : DefaultTotal);
        int host = perHost ?? Math.Max(options.MaxConnectionsPerHost, Math.Max(perFile ?? 0, total ?? 0));
        return options with
        {
            MaxConnectionsPerFile = file,
            TotalConnections = run,
            MaxConnectionsPerHost = host,
        };
    }
}
