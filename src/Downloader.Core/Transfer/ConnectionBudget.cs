using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Transfer;

/// <summary>
/// The connections a whole client may have in use at once, in total and per host. Every connection of every
/// download holds one lease while it transfers, so a batch of 100,000 URLs never opens more than the budget,
/// and a big file grows its connection count only when smaller ones leave room.
/// </summary>
public sealed class ConnectionBudget
{
    private readonly SemaphoreSlim _total;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public ConnectionBudget(int totalConnections, int connectionsPerHost)
    {
        if (totalConnections < 1 || connectionsPerHost < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(totalConnections), "Connection limits must be at least 1.");
        }

        Total = totalConnections;
        PerHost = connectionsPerHost;
        _total = new SemaphoreSlim(totalConnections, totalConnections);
    }

    public int Total { get; }

    public int PerHost { get; }

    /// <summary>Waits for a connection to <paramref name="host"/>; dispose the lease to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        SemaphoreSlim perHost = _hosts.GetOrAdd(host, _ => new SemaphoreSlim(PerHost, PerHost));

        // Host first, then total, always in this order, so two waiters never hold what the other needs.
        await perHost.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _total.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            perHost.Release();
            throw;
        }

        return new Lease(this, perHost);
    }

    private sealed class Lease : IDisposable
    {
        private ConnectionBudget? _budget;
        private readonly SemaphoreSlim _host;

        public Lease(ConnectionBudget budget, SemaphoreSlim host)
        {
            _budget = budget;
            _host = host;
        }

        public void Dispose()
        {
            ConnectionBudget? budget = Interlocked.Exchange(ref _budget, null);
            if (budget != null)
            {
                budget._total.Release();
                _host.Release();
            }
        }
    }
}
