using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Downloader.Core.Results;

namespace Downloader.Cli;

/// <summary>One JSON object per result, with the same fields the PowerShell result objects carry.</summary>
internal static class ResultJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the object as UTF-8 into <paramref name="output"/>, without a line end.</summary>
    public static void Write(IBufferWriter<byte> output, DownloadResult r)
    {
        using (var w = new Utf8JsonWriter(output, Options))
        {
            w.WriteStartObject();
            w.WriteString("url", r.Url?.AbsoluteUri ?? r.Input);
            w.WriteString("finalUrl", r.FinalUrl?.AbsoluteUri);
            w.WriteString("path", r.Path);
            w.WriteNumber("bytes", r.Bytes);
            w.WriteString("contentType", r.ContentType);
            w.WriteString("etag", r.ETag);
            w.WriteString("lastModified", r.LastModified?.ToString("r"));
            w.WriteString("sha256", r.Sha256);
            w.WriteString("hash", r.Hash);
            w.WriteString("hashAlgorithm", r.HashAlgorithm);
            w.WriteNumber("seconds", System.Math.Round(r.Seconds, 3));
            w.WriteNumber("connections", r.Connections);
            w.WriteStartArray("sources");
            foreach (SourceBytes source in r.Sources)
            {
                w.WriteStartObject();
                w.WriteString("url", source.Url.AbsoluteUri);
                w.WriteNumber("bytes", source.Bytes);
                w.WriteString("dropped", source.Dropped);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("retries", r.Retries);
            w.WriteBoolean("resumed", r.Resumed);
            w.WriteString("httpVersion", r.HttpVersion);
            w.WriteString("status", r.Status.ToString().ToLowerInvariant());
            w.WriteString("reason", r.Reason);
            w.WriteString("error", r.Error);
            w.WriteString("errorKind", r.ErrorKind?.ToString());
            if (r.HttpStatus is int status)
            {
                w.WriteNumber("httpStatus", status);
            }
            else
            {
                w.WriteNull("httpStatus");
            }

            w.WriteEndObject();
        }
    }
}
