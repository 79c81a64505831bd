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
        var url = new Argument<string>("url") { Description = "The URL to download." };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file." };
        var directory = new Option<string?>("--dir", "-d") { Description = "Write into this folder, under the server's file name (default: current folder)." };
        var connections = new Option<int>("--connections", "-x")
        {
            Description = "Most connections for one file.",
            DefaultValueFactory = _ => 8,
        };
        connections.Validators.Add(r => Range(r, r.GetValue(connections), 1, 64));
        var sha256 = new Option<string?>("--sha256") { Description = "Expected SHA-256 (hex); the download fails if the content differs." };
        var limitRate = new Option<string?>("--limit-rate") { Description = "Bandwidth cap for all connections, e.g. 500K or 10M (bytes per second)." };
        limitRate.Validators.Add(r =>
        {
            string? v = r.GetValue(limitRate);
            if (v != null && !ByteSize.TryParse(v, out _))
            {
                r.AddError($"--limit-rate: '{v}' is not a size; use e.g. 500K or 10M.");
            }
        });
        var retries = new Option<int>("--retries")
        {
            Description = "Retries of a failing connection before giving up.",
            DefaultValueFactory = _ => 5,
        };
        retries.Validators.Add(r => Range(r, r.GetValue(retries), 0, 1000));
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite an existing file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per file on stdout." };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Skip TLS certificate validation." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar." };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds without data before a connection is retried.",
            DefaultValueFactory = _ => 30,
        };

        var root = new RootCommand("Fast, resumable, multi-connection downloads. Running the same command again resumes.")
        {
            url, output, directory, connections, sha256, limitRate, retries, force, json, insecure, quiet, timeout,
        };
        root.Validators.Add(r =>
        {
            if (r.GetValue(output) != null && r.GetValue(directory) != null)
            {
                r.AddError("Use either -o FILE or -d DIR, not both.");
            }
        });
        root.SetAction((parse, cancellationToken) => new DownloadCommand(new DownloadCommandSettings
        {
            Url = parse.GetValue(url)!,
            Output = parse.GetValue(output),
            Directory = parse.GetValue(directory),
            Connections = parse.GetValue(connections),
            Sha256 = parse.GetValue(sha256),
            LimitRate = parse.GetValue(limitRate) is string rate ? ByteSize.Parse(rate) : 0,
            Retries = parse.GetValue(retries),
            Force = parse.GetValue(force),
            Json = parse.GetValue(json),
            Insecure = parse.GetValue(insecure),
            Quiet = parse.GetValue(quiet),
            ReadTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
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
