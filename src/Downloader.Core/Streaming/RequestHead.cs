using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Streaming;

/// <summary>The parts of a request line and headers the local server cares about.</summary>
internal sealed class RequestHead
{
    public string Method { get; private set; } = string.Empty;

    /// <summary>The request target's path, without a query.</summary>
    public string Path { get; private set; } = "/";

    /// <summary>The Host header, as sent; empty when missing.</summary>
    public string Host { get; private set; } = string.Empty;

    public string? Range { get; private set; }

    public bool KeepAlive { get; private set; } = true;

    /// <summary>Reads one request head; null when the client closed the connection first.</summary>
    public static async Task<RequestHead?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        // One byte at a time so a pipelined next request stays in the stream; a head is a few hundred bytes.
        var head = new StringBuilder();
        var one = new byte[1];
        while (head.Length < 16 * 1024)
        {
            int n = await stream.ReadAsync(one, 0, 1, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }

            head.Append((char)one[0]);
            if (head.Length >= 4 && head[head.Length - 1] == '\n' && head.ToString(head.Length - 4, 4) == "\r\n\r\n")
            {
                break;
            }
        }

        return Parse(head.ToString());
    }

    private static RequestHead? Parse(string head)
    {
        string[] lines = head.Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            return null;
        }

        string[] requestLine = lines[0].Split(' ');
        string target = requestLine.Length > 1 ? requestLine[1] : "/";
        int query = target.IndexOf('?');
        var request = new RequestHead
        {
            Method = requestLine[0].ToUpperInvariant(),
            Path = query < 0 ? target : target.Substring(0, query),
        };
        bool http10 = lines[0].EndsWith("HTTP/1.0", StringComparison.OrdinalIgnoreCase);
        request.KeepAlive = !http10;
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            string name = line.Substring(0, colon).Trim();
            string value = line.Substring(colon + 1).Trim();
            if (name.Equals("Range", StringComparison.OrdinalIgnoreCase))
            {
                request.Range = value;
            }
            else if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Host = value;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                request.KeepAlive = value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) || (!http10 && !value.Equals("close", StringComparison.OrdinalIgnoreCase));
            }
        }

        return request;
    }
}
