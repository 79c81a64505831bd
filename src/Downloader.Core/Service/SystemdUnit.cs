using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Downloader.Core.Service;

/// <summary>
/// The systemd user unit that starts the queue worker when the user's service manager starts: at login, and at boot
/// once the user has lingering (<c>loginctl enable-linger</c>). The worker exits when the queue is empty; a worker
/// that fails is started again after 30 s.
/// </summary>
public static class SystemdUnit
{
    public const string FileName = "downloader-queue.service";

    public static string Build(string program, IReadOnlyList<string> arguments)
    {
        var sb = new StringBuilder();
        sb.Append("[Unit]\n");
        sb.Append("Description=Downloader queue worker: downloads that outlive the session\n");
        sb.Append("Documentation=https://github.com/downloader-module/Downloader#downloads-that-outlive-the-session\n\n");
        sb.Append("[Service]\n");
        sb.Append("Type=simple\n");
        sb.Append("ExecStart=").Append(string.Join(" ", new[] { program }.Concat(arguments).Select(Quote))).Append('\n');
        sb.Append("Restart=on-failure\n");
        sb.Append("RestartSec=30\n\n");
        sb.Append("[Install]\n");
        sb.Append("WantedBy=default.target\n");
        return sb.ToString();
    }

    /// <summary>
    /// One word of ExecStart: double-quoted with C escapes, and <c>$</c> and <c>%</c> doubled, which systemd would
    /// otherwise take for a variable or a specifier.
    /// </summary>
    private static string Quote(string word)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in word)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '$' => "$$",
                '%' => "%%",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
