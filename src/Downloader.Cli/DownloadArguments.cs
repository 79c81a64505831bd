using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using Downloader.Core.Formatting;

namespace Downloader.Cli;

/// <summary>
/// The download command's own argument and options: names, defaults, help text and checks, and the settings they
/// are read into. The company-network options are <see cref="NetworkOptions"/>'s.
/// </summary>
internal sealed class DownloadArguments
{
    private readonly Argument<string?> _url = new("url") { Description = "The URL to download.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> _input = new("--input", "-i") { Description = "Read URLs from this file, or '-' for stdin: one file per line, TAB-separated: its URL, any mirror URLs, then optional name and hash (ALGORITHM:HEX)." };
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Write to this file; '-' writes the content to stdout." };
    private readonly Option<string?> _directory = new("--dir", "-d") { Description = "Write into this folder, under the server's file name (default: current folder)." };
    private readonly Option<int?> _connections = new("--connections", "-x") { Description = "Most connections for one file (default 8)." };
    private readonly Option<int?> _jobs = new("--jobs", "-j") { Description = "Most connections in use at once across all files (default 8, or -x for a single URL)." };
    private readonly Option<int?> _perHost = new("--max-per-host") { Description = "Most connections to one server, host and port (default 16, or more when -x or -j asks for more)." };
    private readonly Option<string?> _checksum = new("--checksum", "--sha256")
    {
        Description = "Expected hash, ALGORITHM:HEX (sha256, sha512, sha384, sha1, md5) or 64 hex digits for SHA-256; the download fails, keeping nothing, if the content differs.",
    };
    private readonly Option<string?> _checksumFile = new("--checksum-file")
    {
        Description = "A SHA256SUMS-style file (GNU 'HEX  NAME' or BSD 'SHA256 (NAME) = HEX' lines): each file it names is checked; files it does not name are downloaded unchecked.",
    };
    private readonly Option<string[]> _mirror = new("--mirror") { Description = "Another URL of the same file (repeatable): connections are spread over all sources." };
    private readonly Option<string[]> _accept = new("--accept") { Description = "Accepted content type, e.g. image/* (repeatable); other types fail." };
    private readonly Option<string?> _limitRate = new("--limit-rate") { Description = "Bandwidth cap for all connections, e.g. 500K or 10M (bytes per second)." };
    private readonly Option<int> _retries = new("--retries")
    {
        Description = "Retries of a failing connection before giving up.",
        DefaultValueFactory = _ => 5,
    };
    private readonly Option<bool> _force = new("--force", "-f") { Description = "Overwrite existing files (default: skip unchanged ones, else save as 'name (1).ext')." };
    private readonly Option<Core.Priority.DownloadPriority> _priority = new("--priority")
    {
        Description = "normal (default; the same as foreground), or background: use only what other traffic leaves idle, slowing down and shedding connections when the link's queueing delay rises.",
    };

    private readonly Option<bool> _durable = new("--durable")
    {
        Description = "Flush each file to disk before it gets its name, so a power loss never takes back a finished file (default: no flush per file, the run's end makes its files durable in one step; after a power loss the next run downloads again the files of a run that had not ended).",
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object per file on stdout." };
    private readonly Option<bool> _insecure = new("--insecure", "-k") { Description = "Skip TLS certificate validation." };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No progress and no summary." };
    private readonly Option<double?> _timeout = new("--timeout")
    {
        Description = "Seconds the server may stay silent, waiting for its answer or for data once it flows, before a connection is retried (default 30; -TimeoutSec in the module).",
    };
    private readonly Option<string?> _refresh = new("--refresh-command")
    {
        Description = "When a URL expires part-way (401, 403, 410), run this shell command for a new one and continue: it gets "
            + "DOWNLOADER_URL, DOWNLOADER_CURRENT_URL, DOWNLOADER_STATUS in its environment and prints the new URL (60 s at most; 5 refreshes per file).",
    };

    public DownloadArguments()
    {
        _connections.Validators.Add(r => Range(r, r.GetValue(_connections) ?? 1, 1, 64));
        _jobs.Validators.Add(r => Range(r, r.GetValue(_jobs) ?? 1, 1, 1024));
        _perHost.Validators.Add(r => Range(r, r.GetValue(_perHost) ?? 1, 1, 1024));
        _checksum.Validators.Add(r =>
        {
            if (r.GetValue(_checksum) is string v && !Core.ExpectedHash.TryParse(v, out _, out string? error))
            {
                r.AddError($"--checksum: {error}");
            }
        });
        _mirror.Validators.Add(r =>
        {
            foreach (string m in r.GetValue(_mirror) ?? Array.Empty<string>())
            {
                if (!Downloader.Core.Batch.UrlParser.TryParse(m, out _, out string? error))
                {
                    r.AddError($"--mirror '{Downloader.Core.Http.UserInfo.Redact(m)}': {error}");
                }
            }
        });
        _limitRate.Validators.Add(r =>
        {
            string? v = r.GetValue(_limitRate);
            if (v != null && !ByteSize.TryParse(v, out _))
            {
                r.AddError($"--limit-rate: '{v}' is not a size; use e.g. 500K or 10M.");
            }
        });
        _retries.Validators.Add(r => Range(r, r.GetValue(_retries), 0, 1000));
        _timeout.Validators.Add(r =>
        {
            if (r.GetValue(_timeout) is double seconds && !(seconds > 0 && seconds <= 86400))
            {
                r.AddError($"--timeout must be more than 0 and at most 86400 seconds; got {seconds}.");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Arguments.Add(_url);
        foreach (Option option in new Option[] { _input, _output, _directory, _connections, _jobs, _perHost, _checksum, _checksumFile, _accept, _limitRate, _priority, _retries, _force, _durable, _json, _insecure, _quiet, _timeout, _refresh, _mirror })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The checks across options, for the command as a whole.</summary>
    public void Validate(CommandResult r)
    {
        bool hasUrl = r.GetValue(_url) != null;
        bool hasList = r.GetValue(_input) != null;
        if (hasUrl == hasList)
        {
            r.AddError("Give either a URL or -i FILE.");
        }

        if (r.GetValue(_output) != null && (r.GetValue(_directory) != null || hasList))
        {
            r.AddError("-o names one file: it goes with a single URL, without -d.");
        }

        if (r.GetValue(_output) == "-" && r.GetValue(_json))
        {
            r.AddError("-o - writes the content to stdout, so it cannot be combined with --json.");
        }

        if (hasList && r.GetValue(_checksum) != null)
        {
            r.AddError("--checksum is for a single URL; put per-item hashes in the list's third column, or use --checksum-file.");
        }

        if (hasList && r.GetValue(_mirror) is { Length: > 0 })
        {
            r.AddError("--mirror is for a single URL; in a list, put a file's mirror URLs after its URL, TAB-separated.");
        }
    }

    public DownloadCommandSettings Read(ParseResult parse, NetworkOptions network) => new()
    {
        Url = parse.GetValue(_url),
        Input = parse.GetValue(_input),
        Output = parse.GetValue(_output),
        Directory = parse.GetValue(_directory),
        Connections = parse.GetValue(_connections),
        Jobs = parse.GetValue(_jobs),
        MaxPerHost = parse.GetValue(_perHost),
        Checksum = parse.GetValue(_checksum) is string hash ? Core.ExpectedHash.Parse(hash) : null,
        ChecksumFile = parse.GetValue(_checksumFile),
        Mirrors = parse.GetValue(_mirror) ?? Array.Empty<string>(),
        Accept = parse.GetValue(_accept) ?? Array.Empty<string>(),
        LimitRate = parse.GetValue(_limitRate) is string rate ? ByteSize.Parse(rate) : 0,
        Retries = parse.GetValue(_retries),
        Force = parse.GetValue(_force),
        Durable = parse.GetValue(_durable),
        Priority = parse.GetValue(_priority),
        Json = parse.GetValue(_json),
        Insecure = parse.GetValue(_insecure),
        Quiet = parse.GetValue(_quiet),
        Timeout = parse.GetValue(_timeout) is double seconds ? TimeSpan.FromSeconds(seconds) : null,
        RefreshCommand = parse.GetValue(_refresh),
        Network = network.Read(parse),
    };

    private static void Range(OptionResult result, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            result.AddError($"{result.Option.Name} must be between {min} and {max}; got {value}.");
        }
    }
}
