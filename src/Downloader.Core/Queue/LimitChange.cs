using System.Collections.Generic;
using Downloader.Core.Priority;
using Downloader.Core.Transfer;

namespace Downloader.Core.Queue;

/// <summary>
/// What Set-Download (or <c>downloader queue set</c>) changes on a queue entry: each limit given, the others left
/// as they are. Another process asks for it through the entry's <c>ID.change</c> request file; the worker lock's
/// holder writes it into the entry and, while the entry runs, into its client's <see cref="LiveLimits"/>.
/// </summary>
public sealed record LimitChange
{
    /// <summary>The rate cap in bytes per second; 0 for none.</summary>
    public long? MaximumBytesPerSecond { get; init; }

    public int? ConnectionsPerFile { get; init; }

    /// <summary>Connections in all (-Threads).</summary>
    public int? Threads { get; init; }

    public DownloadPriority? Priority { get; init; }

    public bool IsEmpty => MaximumBytesPerSecond == null && ConnectionsPerFile == null && Threads == null && Priority == null;

    /// <summary>This change followed by <paramref name="later"/>: the later one's values win.</summary>
    public LimitChange Then(LimitChange later) => new()
    {
        MaximumBytesPerSecond = later.MaximumBytesPerSecond ?? MaximumBytesPerSecond,
        ConnectionsPerFile = later.ConnectionsPerFile ?? ConnectionsPerFile,
        Threads = later.Threads ?? Threads,
        Priority = later.Priority ?? Priority,
    };

    /// <summary>An entry's options with the change: what its next start (or its next worker) runs with.</summary>
    public PersistedOptions ApplyTo(PersistedOptions options) => options with
    {
        BytesPerSecond = MaximumBytesPerSecond ?? options.BytesPerSecond,
        ConnectionsPerFile = ConnectionsPerFile ?? options.ConnectionsPerFile,
        TotalConnections = Threads ?? options.TotalConnections,
        Priority = Priority ?? options.Priority,
    };

    /// <summary>
    /// A running client's limits with the change. -Threads reaches only a client that has an overall limit (started
    /// with one); without, the entry keeps the new value for its next start.
    /// </summary>
    public void ApplyTo(LiveLimits limits)
    {
        if (MaximumBytesPerSecond is long rate)
        {
            limits.MaximumBytesPerSecond = rate;
        }

        if (ConnectionsPerFile is int perFile)
        {
            limits.ConnectionsPerFile = perFile;
        }

        if (Threads is int total && limits.Threads != null)
        {
            limits.Threads = total;
        }

        if (Priority is DownloadPriority priority)
        {
            limits.Priority = priority;
        }
    }

    internal IEnumerable<KeyValuePair<string, object?>> Fields()
    {
        yield return new("bytesPerSecondLimit", MaximumBytesPerSecond);
        yield return new("connectionsPerFile", ConnectionsPerFile);
        yield return new("totalConnections", Threads);
        yield return new("priority", Priority?.ToString());
    }

    internal static LimitChange Read(JsonFields f) => new()
    {
        MaximumBytesPerSecond = f.NullableLong("bytesPerSecondLimit"),
        ConnectionsPerFile = (int?)f.NullableLong("connectionsPerFile"),
        Threads = (int?)f.NullableLong("totalConnections"),
        Priority = f.String("priority") is string p && System.Enum.TryParse(p, out DownloadPriority value) ? value : null,
    };
}
