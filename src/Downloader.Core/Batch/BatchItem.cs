namespace Downloader.Core.Batch;

/// <summary>One entry of a batch: a request, or the reason its input could not become one.</summary>
public sealed class BatchItem
{
    private BatchItem(string input, DownloadRequest? request, string? error)
    {
        Input = input;
        Request = request;
        Error = error;
    }

    /// <summary>The entry as written, e.g. a list line.</summary>
    public string Input { get; }

    public DownloadRequest? Request { get; }

    /// <summary>Why the entry is unusable, naming the entry; null for a valid one.</summary>
    public string? Error { get; }

    public static BatchItem Valid(string input, DownloadRequest request) => new(input, request, null);

    public static BatchItem Invalid(string input, string error) => new(input, null, error);
}
