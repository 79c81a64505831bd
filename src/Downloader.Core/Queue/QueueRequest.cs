namespace Downloader.Core.Queue;

/// <summary>What another process asks of an entry: the worker (or, with none running, the asker) applies it.</summary>
public enum QueueRequest
{
    Suspend,
    Resume,
    Remove,
    RemoveAndDeletePartial,
}
