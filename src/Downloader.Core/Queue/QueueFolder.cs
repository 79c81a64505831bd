using System;
using System.IO;

namespace Downloader.Core.Queue;

/// <summary>
/// Where the user's queue lives: <c>Downloader/queue</c> under the local application data folder (%LOCALAPPDATA% on
/// Windows, $XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support on macOS), or the folder named
/// by DOWNLOADER_QUEUE_DIR (tests, or a user who wants it elsewhere). Every front end and the worker agree on it.
/// </summary>
public sealed class QueueFolder
{
    public const string Variable = "DOWNLOADER_QUEUE_DIR";

    public QueueFolder(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>One <c>ID.json</c> per entry, and <c>ID.request</c> and <c>ID.change</c> files asking the worker to act on one.</summary>
    public string Entries => Path.Combine(Root, "entries");

    /// <summary>The worker's lock (a <see cref="Storage.TargetLock"/> file), holding its process id.</summary>
    public string WorkerLock => Path.Combine(Root, "worker");

    /// <summary>One JSON line per finished or failed entry.</summary>
    public string Log => Path.Combine(Root, "queue.log");

    /// <summary>The worker's own output (start-up failures the log cannot hold).</summary>
    public string WorkerOutput => Path.Combine(Root, "worker.out");

    /// <summary>The highest id ever given, so a removed entry's id never names a later one.</summary>
    public string LastId => Path.Combine(Entries, "last-id");

    public string EntryFile(int id) => Path.Combine(Entries, id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".json");

    public string RequestFile(int id) => Path.Combine(Entries, id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".request");

    /// <summary>A change of an entry's limits (Set-Download), kept apart from its suspend, resume or remove request.</summary>
    public string ChangeFile(int id) => Path.Combine(Entries, id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".change");

    public static QueueFolder Default()
    {
        string? overridden = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return new QueueFolder(overridden!);
        }

        string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(local))
        {
            local = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return new QueueFolder(Path.Combine(local, "Downloader", "queue"));
    }
}
