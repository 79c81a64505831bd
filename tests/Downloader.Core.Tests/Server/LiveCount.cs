namespace Downloader.Core.Tests.Server;

/// <summary>
/// How many of something the client holds open at once, and the most it ever held. Each entry ends once, at whichever
/// comes first: the server is done with it, or the client went away. The server's own count lags a client that
/// cancels: a handler keeps running (and its connection stays open on the server) until it notices the abort, while
/// the client has already opened the next connection within its limit. Counting those as still open made
/// <c>BatchTests.The_connection_budget_is_never_exceeded</c> see 4 requests under a budget of 3 in CI.
/// </summary>
public sealed class LiveCount
{
    private int _now;
    private int _peak;

    public int Peak => Volatile.Read(ref _peak);

    /// <summary>Starts an entry; it ends when the returned action runs or <paramref name="clientGone"/> fires, once.</summary>
    public Action Enter(CancellationToken clientGone)
    {
        int now = Interlocked.Increment(ref _now);
        int current;
        while ((current = Volatile.Read(ref _peak)) < now && Interlocked.CompareExchange(ref _peak, now, current) != current)
        {
        }

        int ended = 0;
        void End()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0)
            {
                Interlocked.Decrement(ref _now);
            }
        }

        CancellationTokenRegistration registration = clientGone.Register(End);
        return () =>
        {
            registration.Dispose();
            End();
        };
    }

    /// <summary>Starts counting the peak again from what is open now.</summary>
    public void ResetPeak() => Interlocked.Exchange(ref _peak, Volatile.Read(ref _now));
}
