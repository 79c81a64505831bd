using System;
using System.CommandLine;
using Downloader.Core.Formatting;
using Downloader.Core.Queue;

namespace Downloader.Cli;

/// <summary>
/// `downloader queue …`: the user's durable queue, shared with the module's Start-Download -Persist. Parsing only;
/// <see cref="QueueActions"/> runs them.
/// </summary>
internal static class QueueCommand
{
    public static Command Build()
    {
        var command = new Command("queue", "Downloads that outlive the session: a per-user queue worked by a background worker.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        var run = new Command("run", "Work the queue until it is empty (what the OS trigger starts); exits 0 at once if a worker runs.");
        run.SetAction((_, token) => System.Threading.Tasks.Task.FromResult(QueueActions.Run(token)));
        command.Subcommands.Add(run);
        command.Subcommands.Add(Control("suspend", "Stop an entry's transfer; its bytes stay for a resume.", QueueRequest.Suspend));
        command.Subcommands.Add(Control("resume", "Queue a suspended or failed entry again.", QueueRequest.Resume));
        command.Subcommands.Add(Control("remove", "Remove an entry (a running one is stopped first).", QueueRequest.Remove));
        command.Subcommands.Add(Set());
        return command;
    }

    private static Command Add()
    {
        var urls = new Argument<string[]>("url") { Description = "URLs to queue.", Arity = ArgumentArity.ZeroOrMore };
        var input = new Option<string?>("--input", "-i") { Description = "Queue the URLs of this list file (one per line, as for a download)." };
        var directory = new Option<string?>("--dir", "-d") { Description = "Where the files go (default: the current folder)." };
        var connections = new Option<int?>("--connections", "-x") { Description = "Most connections for one file (default 8)." };
        var limitRate = new Option<string?>("--limit-rate") { Description = "Bandwidth cap per file, e.g. 500K or 10M." };
        var priority = PriorityOption();
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite existing files." };
        var noStart = new Option<bool>("--no-start") { Description = "Only queue; do not start a worker (the OS trigger or 'queue run' will)." };
        var add = new Command("add", "Queue URLs and start a worker if none runs; prints one line per entry: ID, TAB, URL.")
        {
            urls, input, directory, connections, limitRate, priority, force, noStart,
        };
        add.Validators.Add(r =>
        {
            if ((r.GetValue(urls) is not { Length: > 0 }) == (r.GetValue(input) == null))
            {
                r.AddError("Give URLs or -i FILE.");
            }

            if (r.GetValue(limitRate) is string v && !ByteSize.TryParse(v, out _))
            {
                r.AddError($"--limit-rate: '{v}' is not a size; use e.g. 500K or 10M.");
            }
        });
        add.SetAction((parse, _) => QueueActions.Add(new QueueAddSettings
        {
            Urls = parse.GetValue(urls) ?? Array.Empty<string>(),
            Input = parse.GetValue(input),
            Directory = parse.GetValue(directory),
            Connections = parse.GetValue(connections),
            LimitRate = parse.GetValue(limitRate) is string rate ? ByteSize.Parse(rate) : 0,
            Priority = parse.GetValue(priority),
            Force = parse.GetValue(force),
            NoStart = parse.GetValue(noStart),
        }));
        return add;
    }

    private static Option<Core.Priority.DownloadPriority> PriorityOption() => new("--priority")
    {
        Description = "normal (default), or background: use only what other traffic leaves idle.",
    };

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per entry." };
        var list = new Command("list", "The queue's entries: id, state, bytes, worker.") { json };
        list.SetAction(parse => QueueActions.List(parse.GetValue(json)));
        return list;
    }

    private static Command Set()
    {
        var id = new Argument<int>("id") { Description = "The entry's id (queue list)." };
        var limitRate = new Option<string?>("--limit-rate") { Description = "New bandwidth cap, e.g. 500K or 10M; 0 for none." };
        var connections = new Option<int?>("--connections", "-x") { Description = "Most connections for its file." };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Most connections in use at once (for an entry queued with one: from its next start otherwise)." };
        var priority = new Option<Core.Priority.DownloadPriority?>("--priority") { Description = "normal or background." };
        var set = new Command("set", "Change an entry's limits; a worker running it follows within moments.") { id, limitRate, connections, jobs, priority };
        set.Validators.Add(r =>
        {
            if (r.GetValue(limitRate) is string v && !ByteSize.TryParse(v, out _))
            {
                r.AddError($"--limit-rate: '{v}' is not a size; use e.g. 500K or 10M.");
            }

            if (r.GetValue(connections) is < 1 or > 64 || r.GetValue(jobs) is < 1 or > 1024)
            {
                r.AddError("--connections is 1 to 64, --jobs 1 to 1024.");
            }

            if (r.GetValue(limitRate) == null && r.GetValue(connections) == null && r.GetValue(jobs) == null && r.GetValue(priority) == null)
            {
                r.AddError("Give what to change: --limit-rate, --connections, --jobs or --priority.");
            }
        });
        set.SetAction(parse => QueueActions.Set(parse.GetValue(id), new LimitChange
        {
            MaximumBytesPerSecond = parse.GetValue(limitRate) is string rate ? ByteSize.Parse(rate) : null,
            ConnectionsPerFile = parse.GetValue(connections),
            Threads = parse.GetValue(jobs),
            Priority = parse.GetValue(priority),
        }));
        return set;
    }

    private static Command Control(string name, string description, QueueRequest request)
    {
        var id = new Argument<int>("id") { Description = "The entry's id (queue list)." };
        var deletePartial = new Option<bool>("--delete-partial") { Description = "Also delete the partial file." };
        var command = new Command(name, description) { id };
        if (request == QueueRequest.Remove)
        {
            command.Options.Add(deletePartial);
        }

        command.SetAction(parse => QueueActions.Control(
            parse.GetValue(id),
            request == QueueRequest.Remove && parse.GetValue(deletePartial) ? QueueRequest.RemoveAndDeletePartial : request));
        return command;
    }
}
