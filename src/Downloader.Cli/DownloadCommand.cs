using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Results;
using Downloader.Core.Transfer;

namespace Downloader.Cli;

/// <summary>Runs one download with the engine and reports it: progress on stderr, the result on stdout or stderr.</summary>
internal sealed class DownloadCommand
{
    private readonly DownloadCommandSettings _settings;

    public DownloadCommand(DownloadCommandSettings settings)
    {
        _settings = settings;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(_settings.Url, UriKind.Absolute, out Uri? uri))
        {
            Console.Error.WriteLine($"downloader: '{_settings.Url}' is not an absolute URL.");
            return ExitCodes.Usage;
        }

        var options = new DownloadOptions
        {
            MaxConnectionsPerFile = _settings.Connections,
            MaxConnectionsPerHost = Math.Max(16, _settings.Connections),
            MaxRetries = _settings.Retries,
            Overwrite = _settings.Force,
            SkipCertificateCheck = _settings.Insecure,
            ReadTimeout = _settings.ReadTimeout,
            BandwidthLimiter = _settings.LimitRate > 0 ? new BandwidthLimiter(_settings.LimitRate) : null,
        };
        var request = new DownloadRequest(uri)
        {
            OutputPath = _settings.Output,
            Directory = _settings.Directory ?? Directory.GetCurrentDirectory(),
            ExpectedSha256 = _settings.Sha256,
        };

        using var client = new DownloadClient(options);
        FileDownload download = client.Start(request);
        using CancellationTokenRegistration stop = cancellationToken.Register(() => download.Cancel());
        bool showProgress = !_settings.Quiet && !Console.IsErrorRedirected;
        DownloadResult result = showProgress
            ? await ProgressBar.RunAsync(download, Console.Error).ConfigureAwait(false)
            : await download.Completion.ConfigureAwait(false);
        Report(result);
        return result.Status switch
        {
            DownloadStatus.Completed or DownloadStatus.Skipped => ExitCodes.Success,
            DownloadStatus.Cancelled => ExitCodes.Cancelled,
            _ => ExitCodes.Failed,
        };
    }

    private void Report(DownloadResult result)
    {
        if (_settings.Json)
        {
            Console.Out.WriteLine(ResultJson.Serialize(result));
        }

        if (result.Status == DownloadStatus.Completed)
        {
            if (!_settings.Json && !_settings.Quiet)
            {
                Console.Error.WriteLine($"{result.Path}: {Core.Formatting.ByteSize.Format(result.Bytes)} in {result.Seconds:0.00} s");
            }
        }
        else
        {
            Console.Error.WriteLine("downloader: " + result.Error);
        }
    }
}
