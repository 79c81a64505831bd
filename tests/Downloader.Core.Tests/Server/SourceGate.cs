using System.Collections.Concurrent;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// Opens when two different origins have both been asked for one key: a test of a file from two sources holds every
/// response until then, so the first source cannot carry the whole file before the second one is even asked (which a
/// busy machine made happen). Shared by all origins of the test run, keyed by the test's own key.
/// </summary>
public static class SourceGate
{
    /// <summary>How long a held response waits at most; past it the test fails on its assertion, it never hangs.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<string, Pair> Pairs = new();

    /// <summary>Records that <paramref name="origin"/> was asked for <paramref name="key"/>; the task completes once two origins were.</summary>
    public static Task Asked(string key, OriginServer origin)
    {
        Pair pair = Pairs.GetOrAdd(key, _ => new Pair());
        pair.Origins.TryAdd(origin, 0);
        if (pair.Origins.Count >= 2)
        {
            pair.Open.TrySetResult();
        }

        return pair.Open.Task;
    }

    private sealed class Pair
    {
        public ConcurrentDictionary<OriginServer, byte> Origins { get; } = new();

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
