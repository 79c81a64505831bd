using System;
using System.Collections.Generic;
using System.Globalization;

namespace Downloader.Core.Queue;

/// <summary>Typed reads of a <see cref="FlatJson"/> object: a missing or mistyped field reads as its default.</summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, object?> _fields;

    public JsonFields(Dictionary<string, object?> fields)
    {
        _fields = fields;
    }

    public string? String(string key) => _fields.TryGetValue(key, out object? v) ? v as string : null;

    public long Long(string key, long fallback = 0) => _fields.TryGetValue(key, out object? v) && v is double d ? (long)d : fallback;

    public long? NullableLong(string key) => _fields.TryGetValue(key, out object? v) && v is double d ? (long)d : null;

    public double Double(string key) => _fields.TryGetValue(key, out object? v) && v is double d ? d : 0;

    public bool Bool(string key) => _fields.TryGetValue(key, out object? v) && v is true;

    public string[] Strings(string key) => _fields.TryGetValue(key, out object? v) && v is string[] a ? a : Array.Empty<string>();

    public DateTimeOffset? Time(string key) =>
        String(key) is string s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset t) ? t : null;

    public T Enum<T>(string key, T fallback)
        where T : struct => String(key) is string s && System.Enum.TryParse(s, out T value) ? value : fallback;

    public static string? Time(DateTimeOffset? time) => time?.ToString("o", CultureInfo.InvariantCulture);
}
