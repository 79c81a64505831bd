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

        if (!TryBuildOptions(single, out DownloadOptions? options, out string? usage))
        {
            Console.Error.WriteLine($"downloader: {usage}");
            return ExitCodes.Usage;
        }

        string directory = Path.GetFullPath(_settings.Directory ?? Directory.GetCurrentDirectory());
        bool drawProgress = !_settings.Quiet && !Console.IsErrorRedirected;
        var sink = new ConsoleSink(_settings, single, drawProgress);
        var clock = Stopwatch.StartNew();

        // The same session type as Start-Download: the CLI feeds it items and renders what it reports.
        IUrlRefresher? refresher = _settings.RefreshCommand is string refresh ? new CommandRefresher(refresh) : null;
        using var session = new DownloadSession(options!, sink, ConsoleSink.Interval, refresher);
        session.Start();
        using (cancellationToken.Register(() => session.Stop()))
        {
            if (await FeedAsync(session, single, directory, cancellationToken).ConfigureAwait(false) is string listError)
            {
                await session.StopAsync().ConfigureAwait(false);
                sink.ClearProgress();
                Console.Error.WriteLine(listError);
                return ExitCodes.Failed;
            }

            await session.Completion.ConfigureAwait(false);
        }

        sink.ClearProgress();
        if (_settings.Network.CookieJar is string jar && options!.Network.Cookies is { } cookies)
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

    /// <summary>The engine's options from the command line; false with the usage error when a setting cannot be used.</summary>
    private bool TryBuildOptions(bool single, out DownloadOptions? options, out string? usage)
    {
        options = null;
        usage = null;
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
                usage = e is FormatException ? e.Message : $"cannot read the checksum file '{_settings.ChecksumFile}': {e.Message}";
                return false;
            }
        }

        var built = ConnectionPolicy.Apply(new DownloadOptions(), _settings.Connections, _settings.Jobs, _settings.MaxPerHost, single) with
        {
            MaxRetries = _settings.Retries,
            ExistingFile = _settings.Force ? ExistingFilePolicy.Overwrite : ExistingFilePolicy.SkipOrRename,
            Durable = _settings.Durable,
            Priority = _settings.Priority,
            AcceptContentTypes = _settings.Accept,
            SkipCertificateCheck = _settings.Insecure,
            MaxBytesPerSecond = Math.Max(0, _settings.LimitRate),
            Checksums = checksums,
        };
        built = _settings.Timeout is TimeSpan timeout ? built.WithTimeout(timeout) : built;
        try
        {
            options = NetworkSetup.Apply(built, _settings.Network);
            return true;
        }
        catch (UsageException e)
        {
            usage = e.Message;
            return false;
        }
    }

    /// <summary>Adds the items, each once the batch has room; null, or the error that stopped reading the list.</summary>
    private async Task<string?> FeedAsync(DownloadSession session, bool single, string directory, CancellationToken cancellationToken)
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

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (IOException e)
        {
            return $"downloader: cannot read the list '{_settings.Input}': {e.Message}";
        }
        finally
        {
            session.CompleteInput();
        }
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
