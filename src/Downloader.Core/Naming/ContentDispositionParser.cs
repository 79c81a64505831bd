using System;
using System.Collections.Generic;
using System.Text;

namespace Downloader.Core.Naming;

/// <summary>
/// Reads the file name from a Content-Disposition header, preferring RFC 5987 <c>filename*</c> over <c>filename</c>.
/// Tolerant by design: servers send malformed values that the framework's strict parser rejects.
/// </summary>
public static class ContentDispositionParser
{
    public static string? GetFileName(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return null;
        }

        Dictionary<string, string> parameters = ParseParameters(headerValue!);
        if (parameters.TryGetValue("filename*", out string? extended))
        {
            string? decoded = DecodeExtendedValue(extended);
            if (!string.IsNullOrEmpty(decoded))
            {
                return decoded;
            }
        }

        return parameters.TryGetValue("filename", out string? plain) && plain.Length > 0 ? plain : null;
    }

    private static Dictionary<string, string> ParseParameters(string value)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = value.IndexOf(';');
        while (i >= 0 && i < value.Length)
        {
            i++;
            int eq = value.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            string name = value.Substring(i, eq - i).Trim();
            i = eq + 1;
            while (i < value.Length && value[i] == ' ')
            {
                i++;
            }

            string parameterValue;
            if (i < value.Length && value[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (i < value.Length && value[i] != '"')
                {
                    if (value[i] == '\\' && i + 1 < value.Length)
                    {
                        i++;
                    }

                    sb.Append(value[i]);
                    i++;
                }

                parameterValue = sb.ToString();
                i = value.IndexOf(';', Math.Min(i, value.Length));
            }
            else
            {
                int end = value.IndexOf(';', i);
                parameterValue = (end < 0 ? value.Substring(i) : value.Substring(i, end - i)).Trim();
                i = end;
            }

            if (name.Length > 0 && !result.ContainsKey(name))
            {
                result[name] = parameterValue;
            }
        }

        return result;
    }

    // RFC 5987: charset'language'percent-encoded-bytes.
    private static string? DecodeExtendedValue(string value)
    {
        int first = value.IndexOf('\'');
        int second = first < 0 ? -1 : value.IndexOf('\'', first + 1);
        if (second < 0)
        {
            return null;
        }

        string charset = value.Substring(0, first);
        string encoded = value.Substring(second + 1);
        Encoding encoding;
        try
        {
            encoding = charset.Length == 0 ? Encoding.UTF8 : Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var bytes = new List<byte>(encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(encoding.GetBytes(encoded[i].ToString()));
            }
        }

        return encoding.GetString(bytes.ToArray());
    }

    private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
