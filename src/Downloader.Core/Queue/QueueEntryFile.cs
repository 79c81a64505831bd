using System;
using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Queue;

/// <summary>An entry as the JSON object in its file (<c>ID.json</c>), and back.</summary>
internal static class QueueEntryFile
{
    public static string ToJson(QueueEntry e) => FlatJson.Write(Fields(e));

    /// <summary>The entry in a file's text; null when the text is not one (a file from a newer version, a damaged one).</summary>
    public static QueueEntry? Parse(string text)
    {
        JsonFields f;
        try
        {
            f = new JsonFields(FlatJson.Read(text));
        }
        catch (FormatException)
        {
            return null;
        }

        string? url = f.String("url");
        if (url == null || !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            return null;
        }

        return new QueueEntry
        {
            Id = (int)f.Long("id"),
            Url = url,
            Mirrors = f.Strings("mirrors"),
            Directory = f.String("directory") ?? string.Empty,
            OutputPath = f.String("outputPath"),
            FileName = f.String("fileName"),
            ExpectedHash = f.String("expectedHash"),
            Options = PersistedOptions.Read(f),
            State = f.Enum("state", QueueEntryState.Queued),
            BytesReceived = f.Long("bytesReceived"),
            TotalBytes = f.Long("totalBytes", -1),
            BytesPerSecond = f.Double("bytesPerSecond"),
            Path = f.String("path"),
            LastError = f.String("lastError"),
            WorkerPid = (int)f.Long("workerPid"),
            Created = f.Time("created") ?? default,
            Updated = f.Time("updated") ?? default,
            Result = ResultFields.Read(f, uri),
        };
    }

    private static IEnumerable<KeyValuePair<string, object?>> Fields(QueueEntry e)
    {
        var head = new KeyValuePair<string, object?>[]
        {
            new("id", e.Id),
            new("url", e.Url),
            new("mirrors", e.Mirrors),
            new("directory", e.Directory),
            new("outputPath", e.OutputPath),
            new("fileName", e.FileName),
            new("expectedHash", e.ExpectedHash),
            new("state", e.State.ToString()),
            new("bytesReceived", e.BytesReceived),
            new("totalBytes", e.TotalBytes),
            new("bytesPerSecond", Math.Round(e.BytesPerSecond)),
            new("path", e.Path),
            new("lastError", e.LastError),
            new("workerPid", e.WorkerPid),
            new("created", JsonFields.Time(e.Created)),
            new("updated", JsonFields.Time(e.Updated)),
        };
        return head.Concat(e.Options.Fields()).Concat(e.Result == null ? Enumerable.Empty<KeyValuePair<string, object?>>() : ResultFields.Write(e.Result));
    }
}
