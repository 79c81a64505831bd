using System.Collections.Generic;

namespace Downloader.Core.Naming;

/// <summary>
/// What a batch has learned about the numbered names of one base path ("name (n).ext"), once two of its items wanted
/// that name: where a search for a free number may start, and which numbers hold another URL's partial download.
/// Guarded by the lock of the <see cref="PathReservations"/> that owns it.
/// </summary>
internal sealed class NameSeries
{
    /// <summary>Every number below this one is taken: held or finished by an item of the batch, or a file that stays.</summary>
    public int FirstOpen { get; set; } = 1;

    /// <summary>Numbers at or above <see cref="FirstOpen"/> that hold a changed file this batch will not replace.</summary>
    public HashSet<int> Kept { get; } = new();

    /// <summary>
    /// Numbers whose partial download belongs to a URL other than the one that looked: its own item may still come
    /// to resume it, so each search offers these first, and the hint steps over them.
    /// </summary>
    public SortedSet<int> Partials { get; } = new();
}
