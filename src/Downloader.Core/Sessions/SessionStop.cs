using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Sessions;

/// <summary>
/// A session's stop as its downloads see it. A stop and a download about to start meet under one lock: either the
/// stop finds the download among the runner's active ones, or the download (announced before it runs) finds the
/// stop. Either way it is cancelled as the stop asked, -DeletePartial included, before it can leave a part file.
/// </summary>
internal sealed class SessionStop
{
    private readonly object _gate = new();
    private bool? _deletePartial;

    /// <summary>Cancels every download in <paramref name="active"/> and every one that starts from now on.</summary>
    public void Stop(bool deletePartial, ICollection<FileDownload> active)
    {
        FileDownload[] now;
        lock (_gate)
        {
            _deletePartial = deletePartial;
            now = active.ToArray();
        }

        foreach (FileDownload download in now)
        {
            download.Cancel(deletePartial);
        }
    }

    /// <summary>A download is active and about to run: cancelled at once if the session has stopped.</summary>
    public void Starting(FileDownload download)
    {
        lock (_gate)
        {
            if (_deletePartial is bool deletePartial)
            {
                download.Cancel(deletePartial);
            }
        }
    }
}
