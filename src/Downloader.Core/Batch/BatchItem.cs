namespace Downloader.Core.Batch;

/// <summary>One entry of a batch: a request, or the reason its input could not become one.</summary>
public sealed class BatchItem
{
    private BatchItem(string input, DownloadRequest? request, string? error, string? origin = null)
    {
        Input = input;
        Request = request;
        Error = error;
        Origin = origin;
    }

    /// <summary>The entry as written, e.g. a list line.</summary>
    public string Input { get; }

    public DownloadRequest? Request { get; }

    /// <summary>Why the entry is unusable, naming the entry; null for a valid one.</summary>
    public string? Error { get; }

    /// <summary>Where the entry came from, as a report names it: "line 3" of a list; null for "record N" of the batch.</summary>
    public string? Origin { get; }

    public static BatchItem Valid(string input, DownloadRequest request, string? origin = null) => new(input, request, null, origin);

    public static BatchItem Invalid(string input, string error) => new(input, null, error);
}
