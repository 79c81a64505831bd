using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Sessions;

/// <summary>
/// The last few finished items, newest last, so that a list of "recent" downloads stays short however long a
/// PowerShell session runs. Adding beyond the capacity pushes the oldest out and hands it back for releasing.
/// Thread-safe.
/// </summary>
public sealed class RecentItems<T>
    where T : class
{
    private readonly object _gate = new();
    private readonly LinkedList<T> _items = new();

    public RecentItems(int capacity)
    {
        Capacity = System.Math.Max(1, capacity);
    }

    public int Capacity { get; }

    /// <returns>The item pushed out to make room, or null.</returns>
    public T? Add(T item)
    {
        lock (_gate)
        {
            _items.Remove(item);
            _items.AddLast(item);
            if (_items.Count <= Capacity)
            {
                return null;
            }

            T oldest = _items.First!.Value;
            _items.RemoveFirst();
            return oldest;
        }
    }

    public bool Remove(T item)
    {
        lock (_gate)
        {
            return _items.Remove(item);
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return _items.ToList();
        }
    }
}
