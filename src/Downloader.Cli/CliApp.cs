using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using Downloader.Core.Formatting;

namespace Downloader.Cli;

/// <summary>The command line: names, defaults and help text. Parsing only; running is in the command classes.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var url = new Argument<string?>("url") { Description = "The URL to download.", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<string?>("--input", "-i") { Description = "Read URLs from this file, or '-' for stdin: one file per line, TAB-separated: its URL, any mirror URLs, then optional name and hash (ALGORITHM:HEX)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file; '-' writes the content to stdout." };
        var directory = new Option<string?>("--dir", "-d") { Description = "Write into this folder, under the server's file name (default: current folder)." };
        var connections = new Option<int?>("--connections", "-x") { Description = "Most connections for one file (default 8)." };
        connections.Validators.Add(r => Range(r, r.GetValue(connections) ?? 1, 1, 64));
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Most connections in use at once across all files (default 8, or -x for a single URL)." };
        jobs.Validators.Add(r => Range(r, r.GetValue(jobs) ?? 1, 1, 1024));
        var perHost = new Option<int?>("--max-per-host") { Description = "Most connections to one host (default 16, or more when -x or -j asks for more)." };
        perHost.Validators.Add(r => Range(r, r.GetValue(perHost) ?? 1, 1, 1024));
        var checksum = new Option<string?>("--checksum", "--sha256")
        {
            Description = "Expected hash, ALGORITHM:HEX (sha256, sha512, sha384, sha1, md5) or 64 hex digits for SHA-256; the download fails, keeping nothing, if the content differs.",
        };
        checksum.Validators.Add(r =>
        {
            if (r.GetValue(checksum) is string v && !Core.ExpectedHash.TryParse(v, out _, out string? error))
            {
                r.AddError($"--checksum: {error}");
            }
        });
        var checksumFile = new Option<string?>("--checksum-file")
        {
            Description = "A SHA256SUMS-style file (GNU 'HEX  NAME' or BSD 'SHA256 (NAME) = HEX' lines): each file it names is checked; files it does not name are downloaded unchecked.",
        };
        var mirror = new Option<string[]>("--mirror") { Description = "Another URL of the same file (repeatable): connections are spread over all sources." };
        mirror.Validators.Add(r =>
        {
            foreach (string m in r.GetValue(mirror) ?? Array.Empty<string>())
            {
                if (!Downloader.Core.Batch.UrlParser.TryParse(m, out _, out string? error))
                {
                    r.AddError($"--mirror '{Downloader.Core.Http.UserInfo.Redact(m)}': {error}");
                }
            }
        });
        var accept = new Option<string[]>("--accept") { Description = "Accepted content type, e.g. image/* (repeatable); other types fail." };
        var limitRate = new Option<string?>("--limit-rate") { Description = "Bandwidth cap for all connections, e.g. 500K or 10M (bytes per second)." };
        limitRate.Validators.Add(r =>
        {
            string? v = r.GetValue(limitRate);
            if (v != null && !ByteSize.TryParse(v, out _))
            {
                r.AddError($"--limit-rate: '{v}' is not a size; use e.g. 500K or 10M.");
            }
        });
        var priority = new Option<Core.Priority.DownloadPriority>("--priority")
        {
            Description = "normal (default; the same as foreground), or background: use only what other traffic leaves idle, slowing down and shedding connections when the link's queueing delay rises.",
        };
        var retries = new Option<int>("--retries")
        {
            Description = "Retries of a failing connection before giving up.",
            DefaultValueFactory = _ => 5,
        };
        retries.Validators.Add(r => Range(r, r.GetValue(retries), 0, 1000));
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite existing files (default: skip unchanged ones, else save as 'name (1).ext')." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per file on stdout." };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Skip TLS certificate validation." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress and no summary." };
        var timeout = new Option<double?>("--timeout")
        {
            Description = "Seconds the server may stay silent, waiting for its answer or for data once it flows, before a connection is retried (default 30; -TimeoutSec in the module).",
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValue(timeout) is double seconds && !(seconds > 0 && seconds <= 86400))
            {
                r.AddError($"--timeout must be more than 0 and at most 86400 seconds; got {seconds}.");
            }
        });

        var refresh = new Option<string?>("--refresh-command")
        {
            Description = "When a URL expires part-way (401, 403, 410), run this shell command for a new one and continue: it gets "
                + "DOWNLOADER_URL, DOWNLOADER_CURRENT_URL, DOWNLOADER_STATUS in its environment and prints the new URL (60 s at most; 5 refreshes per file).",
        };

        var root = new RootCommand("Fast, resumable, multi-connection downloads. Running the same command again resumes.")
        {
            url, input, output, directory, connections, jobs, perHost, checksum, checksumFile, accept, limitRate, priority, retries, force, json, insecure, quiet, timeout, refresh, mirror,
        };
        var network = new NetworkOptions();
        network.AddTo(root);
        root.Subcommands.Add(StreamCommand.Build());
        root.Validators.Add(r =>
        {
            bool hasUrl = r.GetValue(url) != null;
            bool hasList = r.GetValue(input) != null;
            if (hasUrl == hasList)
            {
                r.AddError("Give either a URL or -i FILE.");
            }

            if (r.GetValue(output) != null && (r.GetValue(directory) != null || hasList))
            {
                r.AddError("-o names one file: it goes with a single URL, without -d.");
            }

            if (r.GetValue(output) == "-" && r.GetValue(json))
            {
                r.AddError("-o - writes the content to stdout, so it cannot be combined with --json.");
            }

            if (hasList && r.GetValue(checksum) != null)
            {
                r.AddError("--checksum is for a single URL; put per-item hashes in the list's third column, or use --checksum-file.");
            }

            if (hasList && r.GetValue(mirror) is { Length: > 0 })
            {
                r.AddError("--mirror is for a single URL; in a list, put a file's mirror URLs after its URL, TAB-separated.");
            }
        });
        root.SetAction((parse, cancellationToken) => new DownloadCommand(new DownloadCommandSettings
        {
            Url = parse.GetValue(url),
            Input = parse.GetValue(input),
            Output = parse.GetValue(output),
            Directory = parse.GetValue(directory),
            Connections = parse.GetValue(connections),
            Jobs = parse.GetValue(jobs),
            MaxPerHost = parse.GetValue(perHost),
            Checksum = parse.GetValue(checksum) is string hash ? Core.ExpectedHash.Parse(hash) : null,
            ChecksumFile = parse.GetValue(checksumFile),
            Mirrors = parse.GetValue(mirror) ?? Array.Empty<string>(),
            Accept = parse.GetValue(accept) ?? Array.Empty<string>(),
            LimitRate = parse.GetValue(limitRate) is string rate ? ByteSize.Parse(rate) : 0,
            Priority = parse.GetValue(priority),
            Retries = parse.GetValue(retries),
            Force = parse.GetValue(force),
            Json = parse.GetValue(json),
            Insecure = parse.GetValue(insecure),
            Quiet = parse.GetValue(quiet),
            Timeout = parse.GetValue(timeout) is double seconds ? TimeSpan.FromSeconds(seconds) : null,
            RefreshCommand = parse.GetValue(refresh),
            Network = network.Read(parse),
        }).RunAsync(cancellationToken));
        return root;
    }

    private static void Range(OptionResult result, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            result.AddError($"{result.Option.Name} must be between {min} and {max}; got {value}.");
        }
    }
}
