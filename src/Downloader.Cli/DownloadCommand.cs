using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Http;
using Downloader.Core.Sessions;
using Downloader.Core.Transfer;

namespace Downloader.Cli;

/// <summary>Turns the command line into engine options and items, runs them in a download session, and reports.</summary>
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

        ChecksumFile? checksums = null;
        if (_settings.ChecksumFile != null)
        {
            // Read whole before anything starts: a damaged file stops the run instead of silently checking nothing.
            try
            {
                checksums = ChecksumFile.Read(_settings.ChecksumFile, _settings.ChecksumFile);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(e is FormatException ? $"downloader: {e.Message}" : $"downloader: cannot read the checksum file '{_settings.ChecksumFile}': {e.Message}");
                return ExitCodes.Usage;
            }
        }

        string directory = Path.GetFullPath(_settings.Directory ?? Directory.GetCurrentDirectory());
        var options = ConnectionPolicy.Apply(new DownloadOptions(), _settings.Connections, _settings.Jobs, _settings.MaxPerHost, single) with
        {
            MaxRetries = _settings.Retries,
            ExistingFile = _settings.Force ? ExistingFilePolicy.Overwrite : ExistingFilePolicy.SkipOrRename,
            AcceptContentTypes = _settings.Accept,
            SkipCertificateCheck = _settings.Insecure,
            BandwidthLimiter = _settings.LimitRate > 0 ? new BandwidthLimiter(_settings.LimitRate) : null,
            Priority = _settings.Priority,
            Checksums = checksums,
            UrlRefresher = _settings.RefreshCommand is string refresh ? new CommandRefresher(refresh) : null,
        };
        options = _settings.Timeout is TimeSpan timeout ? options.WithTimeout(timeout) : options;

        try
        {
            options = NetworkSetup.Apply(options, _settings.Network);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"downloader: {e.Message}");
            return ExitCodes.Usage;
        }

        bool drawProgress = !_settings.Quiet && !Console.IsErrorRedirected;
        var sink = new ConsoleSink(_settings, single, drawProgress);
        var clock = Stopwatch.StartNew();

        // The same session type as Start-Download: the CLI feeds it items and renders what it reports.
        using var session = new DownloadSession(options, sink, ConsoleSink.Interval);
        session.Start();
        using (cancellationToken.Register(() => session.Stop()))
        {
            try
            {
                await foreach (BatchItem item in Items(single, directory, cancellationToken).ConfigureAwait(false))
                {
                    if (!await session.AddAsync(item, cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (IOException e)
            {
                await session.StopAsync().ConfigureAwait(false);
                sink.ClearProgress();
                Console.Error.WriteLine($"downloader: cannot read the list '{_settings.Input}': {e.Message}");
                return ExitCodes.Failed;
            }
            finally
            {
                session.CompleteInput();
            }

            await session.Completion.ConfigureAwait(false);
        }

        sink.ClearProgress();
        if (_settings.Network.CookieJar is string jar && options.Network.Cookies is { } cookies)
        {
            NetscapeCookieFile.Write(jar, cookies.GetAllCookies());
        }

        if (!single && !_settings.Quiet)
        {
            Console.Error.WriteLine(BatchSummary.Format(session.Statistics, clock.Elapsed));
        }

        return cancellationToken.IsCancellationRequested ? ExitCodes.Cancelled
            : session.FailedCount > 0 ? ExitCodes.Failed
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
                ExpectedHash = _settings.Checksum,
                InMemory = _settings.ToStdout,
                Mirrors = _settings.Mirrors.Select(m => new Uri(m)).ToList(),
            });
            yield break;
        }

        using TextReader reader = _settings.Input == "-" ? Console.In : new StreamReader(_settings.Input!);
        await foreach (BatchItem item in UrlListReader.ReadAsync(reader, directory, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
