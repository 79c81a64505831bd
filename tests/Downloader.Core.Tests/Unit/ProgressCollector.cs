using Downloader.Core.Results;
using Downloader.Core.Sessions;

namespace Downloader.Core.Tests.Unit;

/// <summary>A sink that keeps the progress records it is sent and ignores the rest.</summary>
internal sealed class ProgressCollector : IPipelineSink
{
    public List<ProgressInfo> Records { get; } = new();

    public void WriteResult(DownloadResult result)
    {
    }

    public void WriteFailure(DownloadResult result)
    {
    }

    public void WriteCancelled(DownloadResult result)
    {
    }

    public void WriteProgress(ProgressInfo progress) => Records.Add(progress);

    public void WriteVerbose(string message)
    {
    }
}
