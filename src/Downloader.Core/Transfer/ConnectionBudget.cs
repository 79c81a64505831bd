using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Transfer;

/// <summary>
/// The connections a whole client may have in use at once, in total and per server (host and port, as the HTTP pool
/// counts them: a mirror on another port of the same machine is another server with a limit of its own, so a
/// connection waiting on one never holds up the other). Every connection of every
/// download holds one lease while it transfers, so a batch of 100,000 URLs never opens more than the budget,
/// and a big file grows its connection count only when smaller ones leave room.
/// </summary>
public sealed class ConnectionBudget
{
    private readonly SemaphoreSlim _total;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _resize = new();
    private int _totalCount;

    // Leases to keep when they come back, after the total was lowered below what is in use.
    private int _debt;

    public ConnectionBudget(int totalConnections, int connectionsPerHost)
    {
        if (totalConnections < 1 || connectionsPerHost < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(totalConnections), "Connection limits must be at least 1.");
        }

        _totalCount = totalConnections;
        PerHost = connectionsPerHost;
        _total = new SemaphoreSlim(totalConnections, int.MaxValue);
    }

    public int Total => Volatile.Read(ref _totalCount);

    /// <summary>
    /// Changes the total while downloads run (Set-Download -Threads): more is free at once; less takes free leases
    /// now and the rest as connections give theirs back, so no running request is cut.
    /// </summary>
    public void Resize(int totalConnections)
    {
        if (totalConnections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(totalConnections), "Connection limits must be at least 1.");
        }

        lock (_resize)
        {
            int change = totalConnections - _totalCount;
            Volatile.Write(ref _totalCount, totalConnections);
            while (change < 0 && _total.Wait(0))
            {
                change++;
            }

            int forgiven = Math.Min(_debt, Math.Max(0, change));
            _debt += change < 0 ? -change : -forgiven;
            if (change - forgiven > 0)
            {
                _total.Release(change - forgiven);
            }
        }
    }

    public int PerHost { get; }

    /// <summary>The key a lease on <paramref name="uri"/>'s server counts against: its host and port.</summary>
    public static string ServerOf(Uri uri) => $"{uri.IdnHost}:{uri.Port}";

    /// <summary>Waits for a connection to <paramref name="server"/> (<see cref="ServerOf"/>); dispose the lease to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(string server, CancellationToken cancellationToken)
    {
        SemaphoreSlim perHost = _hosts.GetOrAdd(server, _ => new SemaphoreSlim(PerHost, PerHost));

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

    private void GiveBack()
    {
        lock (_resize)
        {
            if (_debt > 0)
            {
                _debt--;
                return;
            }

            _total.Release();
        }
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
                budget.GiveBack();
                _host.Release();
            }
        }
    }
}
