using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Http;
using Downloader.Core.Batch;
using Downloader.Core.Results;
using Downloader.Core.Transfer;

namespace Downloader.Cli;

/// <summary>Turns the command line into engine options and items, runs them as a batch, and reports.</summary>
internal sealed class DownloadCommand
{
    private readonly DownloadCommandSettings _settings;

    public DownloadCommand(DownloadCommandSettings settings)
    {
        _settings = settings;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        bool single = _settings.Url != null;
        if (single && !UrlParser.TryParse(_settings.Url!, out _, out string? urlError))
        {
            Console.Error.WriteLine($"downloader: '{UserInfo.Redact(_settings.Url ?? string.Empty)}': {urlError}");
            return ExitCodes.Usage;
        }

        string directory = Path.GetFullPath(_settings.Directory ?? Directory.GetCurrentDirectory());
        var options = ConnectionPolicy.Apply(new DownloadOptions(), _settings.Connections, _settings.Jobs, _settings.MaxPerHost, single) with
        {
            MaxRetries = _settings.Retries,
            ExistingFile = _settings.Force ? ExistingFilePolicy.Overwrite : ExistingFilePolicy.SkipOrRename,
            AcceptContentTypes = _settings.Accept,
            SkipCertificateCheck = _settings.Insecure,
            ReadTimeout = _settings.ReadTimeout,
            BandwidthLimiter = _settings.LimitRate > 0 ? new BandwidthLimiter(_settings.LimitRate) : null,
        };

        using var client = new DownloadClient(options);
        var runner = new BatchRunner(client);
        var summary = new BatchSummary();
        bool terminal = !_settings.Quiet && !Console.IsErrorRedirected;
        using var progress = terminal ? new BatchProgressLine(runner, summary, Console.Error) : null;
        try
        {
            await foreach (DownloadResult result in runner.RunAsync(Items(single, directory, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                summary.Add(result);
                progress?.Clear();
                Report(result, single);
            }
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"downloader: cannot read the list '{_settings.Input}': {e.Message}");
            return ExitCodes.Failed;
        }

        progress?.Clear();
        if (!single && !_settings.Quiet)
        {
            Console.Error.WriteLine(summary.ToString());
        }

        return cancellationToken.IsCancellationRequested ? ExitCodes.Cancelled
            : summary.Failed > 0 ? ExitCodes.Failed
            : ExitCodes.Success;
    }

    private async IAsyncEnumerable<BatchItem> Items(bool single, string directory, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (single)
        {
            UrlParser.TryParse(_settings.Url!, out Uri? uri, out _);
            yield return BatchItem.Valid(_settings.Url!, new DownloadRequest(uri!)
            {
                OutputPath = _settings.ToStdout ? null : _settings.Output,
                Directory = directory,
                ExpectedSha256 = _settings.Sha256,
                InMemory = _settings.ToStdout,
            });
            yield break;
        }

        using TextReader reader = _settings.Input == "-" ? Console.In : new StreamReader(_settings.Input!);
        await foreach (BatchItem item in UrlListReader.ReadAsync(reader, directory, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private void Report(DownloadResult result, bool single)
    {
        if (_settings.Json)
        {
            Console.Out.WriteLine(ResultJson.Serialize(result));
        }

        switch (result.Status)
        {
            case DownloadStatus.Completed when _settings.ToStdout:
                using (Stream stdout = Console.OpenStandardOutput())
                {
                    stdout.Write(result.Content!, 0, result.Content!.Length);
                }

                break;
            case DownloadStatus.Completed or DownloadStatus.Skipped:
                if (single && !_settings.Json && !_settings.Quiet)
                {
                    string verb = result.Status == DownloadStatus.Skipped ? "unchanged, skipped" : $"{Core.Formatting.ByteSize.Format(result.Bytes)} in {result.Seconds:0.00} s";
                    Console.Error.WriteLine($"{result.Path}: {verb}");
                }

                break;
            case DownloadStatus.Cancelled:
                break;
            default:
                Console.Error.WriteLine("downloader: " + result.Error);
                break;
        }
    }
}
