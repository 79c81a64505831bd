using System;
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// Start-Download -RefreshUrl: the engine asks on one of its threads, the scriptblock answers on the pipeline thread.
/// A scriptblock belongs to the runspace that created it and may run only on that runspace's pipeline thread
/// (anywhere else it either throws or corrupts the session state), so a request waits in a queue until the
/// cmdlet's pump (<see cref="Commands.JobPump"/>), which runs on the pipeline thread, runs it and completes the
/// engine's task with the answer.
/// </summary>
internal sealed class ScriptBlockRefresher : IUrlRefresher
{
    private readonly ScriptBlock _script;
    private readonly ConcurrentQueue<Pending> _pending = new();

    public ScriptBlockRefresher(ScriptBlock script)
    {
        _script = script;
    }

    /// <summary>Called by the engine on any thread: queues the request for the pipeline thread.</summary>
    public Task<Uri?> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request);
        // A stopped download (Ctrl+C, the end of the command) stops waiting for an answer that may never come.
        pending.Cancellation = cancellationToken.Register(() => pending.Answer.TrySetCanceled());
        _pending.Enqueue(pending);
        return pending.Answer.Task;
    }

    /// <summary>Runs the queued requests' scriptblocks. Only on the pipeline thread (the cmdlet's pump).</summary>
    public void RunPending()
    {
        while (_pending.TryDequeue(out Pending? pending))
        {
            using (pending.Cancellation)
            {
                if (pending.Answer.Task.IsCompleted)
                {
                    continue;
                }

                try
                {
                    Collection<PSObject> output = _script.Invoke(new RefreshItem(pending.Request));
                    pending.Answer.TrySetResult(ToUri(output));
                }
                catch (Exception e) when (e is not PipelineStoppedException)
                {
                    // The script's own message fails this item; the batch carries on.
                    pending.Answer.TrySetException(new InvalidOperationException(e.Message, e));
                }
                catch (PipelineStoppedException)
                {
                    pending.Answer.TrySetCanceled();
                    throw;
                }
            }
        }
    }

    /// <summary>The last thing the scriptblock output: a Uri, or a string (or anything) read as one.</summary>
    private static Uri? ToUri(Collection<PSObject> output)
    {
        for (int i = output.Count - 1; i >= 0; i--)
        {
            object? value = output[i]?.BaseObject;
            switch (value)
            {
                case null:
                    continue;
                case Uri uri:
                    return uri;
                default:
                    string text = value.ToString()?.Trim() ?? string.Empty;
                    if (text.Length == 0)
                    {
                        return null;
                    }

                    // A relative or malformed answer is turned down by the engine, with the text shown (redacted).
                    return System.Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) ? parsed : new Uri(text, UriKind.RelativeOrAbsolute);
            }
        }

        return null;
    }

    private sealed class Pending
    {
        public Pending(RefreshRequest request)
        {
            Request = request;
        }

        public RefreshRequest Request { get; }

        public TaskCompletionSource<Uri?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
