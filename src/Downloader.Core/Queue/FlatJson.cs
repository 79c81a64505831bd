using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Downloader.Core.Queue;

/// <summary>
/// The queue's files and log lines: one JSON object whose values are strings, numbers, booleans, null or arrays of
/// strings. The engine targets netstandard2.0, where no JSON library ships with the runtime (one more package would
/// have to load beside Windows PowerShell's own), and the queue needs no more than this.
/// </summary>
public static class FlatJson
{
    /// <summary>One object, written in the order given; null values are left out.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var sb = new StringBuilder("{");
        foreach (var field in fields)
        {
            if (field.Value == null)
            {
                continue;
            }

            if (sb.Length > 1)
            {
                sb.Append(',');
            }

            Quote(sb, field.Key);
            sb.Append(':');
            WriteValue(sb, field.Value);
        }

        return sb.Append('}').ToString();
    }

    /// <summary>The object's fields (strings, doubles, booleans, string arrays); throws FormatException on other text.</summary>
    public static Dictionary<string, object?> Read(string text) => new FlatJsonReader(text).ReadObject();

    private static void WriteValue(StringBuilder sb, object value)
    {
        switch (value)
        {
            case string s:
                Quote(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case IEnumerable<string> list:
                sb.Append('[');
                bool first = true;
                foreach (string item in list)
                {
                    sb.Append(first ? string.Empty : ",");
                    Quote(sb, item);
                    first = false;
                }

                sb.Append(']');
                break;
            case IFormattable number:
                sb.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                Quote(sb, value.ToString() ?? string.Empty);
                break;
        }
    }

    private static void Quote(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
