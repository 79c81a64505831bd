namespace Downloader.Core.Batch;

/// <summary>One entry of a batch: a request, or the reason its input could not become one.</summary>
public sealed class BatchItem
{
    private readonly string? _origin;

    private BatchItem(string input, DownloadRequest? request, string? error, string? origin = null, int line = 0)
    {
        Input = input;
        Request = request;
        Error = error;
        _origin = origin;
        Line = line;
    }

    /// <summary>The entry as written, e.g. a list line.</summary>
    public string Input { get; }

    public DownloadRequest? Request { get; }

    /// <summary>Why the entry is unusable, naming the entry; null for a valid one.</summary>
    public string? Error { get; }

    /// <summary>Where the entry came from, as a report names it: "line 3" of a list; null for "record N" of the batch.</summary>
    public string? Origin => _origin ?? (Line > 0 ? $"line {Line}" : null);

    /// <summary>The list line the entry came from; 0 when it came from elsewhere.</summary>
    /// <remarks>Kept as a number, so a batch that remembers its entries (duplicates) keeps no string per entry.</remarks>
    internal int Line { get; }

    public static BatchItem Valid(string input, DownloadRequest request, string? origin = null) => new(input, request, null, origin);

    /// <summary>A valid entry from line <paramref name="line"/> of a list: its <see cref="Origin"/> is "line N".</summary>
    internal static BatchItem FromLine(string input, DownloadRequest request, int line) => new(input, request, null, line: line);

    public static BatchItem Invalid(string input, string error) => new(input, null, error);
}
