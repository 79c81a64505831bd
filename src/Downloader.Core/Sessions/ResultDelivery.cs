using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>Which stream of a sink a finished item goes to. Counting happened already, when the session received the result.</summary>
internal static class ResultDelivery
{
    public static void Write(IPipelineSink sink, DownloadResult result)
    {
        switch (result.Status)
        {
            case DownloadStatus.Completed or DownloadStatus.Skipped:
                sink.WriteResult(result);
                break;
            case DownloadStatus.Cancelled:
                sink.WriteCancelled(result);
                break;
            default:
                sink.WriteFailure(result);
                break;
        }
    }
}
