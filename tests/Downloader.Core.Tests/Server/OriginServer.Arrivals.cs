using System.Collections.Concurrent;

namespace Downloader.Core.Tests.Server;

/// <summary>Events for the tests that must know when a request arrived, rather than poll the hit counters.</summary>
public sealed partial class OriginServer
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _arrivals = new();

    /// <summary>Completes when the first request for <paramref name="path"/> arrives (at once if one already has).</summary>
    public Task FirstRequest(string path) => Arrival(path.StartsWith('/') ? path : "/" + path).Task;

    private TaskCompletionSource Arrival(string path) =>
        _arrivals.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
