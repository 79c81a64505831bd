using System;

namespace Downloader.Core.Batch;

/// <summary>Accepts absolute http and https URLs and says plainly what is wrong with anything else.</summary>
public static class UrlParser
{
    public static bool TryParse(string text, out Uri? uri, out string? error)
    {
        uri = null;
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) || parsed.Host.Length == 0 && !parsed.IsFile)
        {
            error = "not a valid absolute URL.";
            return false;
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            error = $"unsupported scheme '{parsed.Scheme}'; only http and https are downloaded.";
            return false;
        }

        uri = parsed;
        return true;
    }
}
