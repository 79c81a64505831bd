using System;
using System.Globalization;

namespace Downloader.Core.Formatting;

/// <summary>Human units for sizes and speeds, shared by the CLI, the format file and the progress records.</summary>
public static class ByteSize
{
    private static readonly string[] Units = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };

    /// <summary>"1.5 MiB"; "-" for an unknown (negative) size.</summary>
    public static string Format(long bytes)
    {
        if (bytes < 0)
        {
            return "-";
        }

        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString(value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    public static string FormatSpeed(double bytesPerSecond) =>
        double.IsNaN(bytesPerSecond) || bytesPerSecond < 0 ? "-" : Format((long)bytesPerSecond) + "/s";

    /// <summary>"1:02:03", "2:03" or "-" when unknown.</summary>
    public static string FormatDuration(TimeSpan? duration)
    {
        if (duration == null || duration.Value < TimeSpan.Zero || duration.Value.TotalDays > 99)
        {
            return "-";
        }

        TimeSpan d = duration.Value;
        return d.TotalHours >= 1
            ? string.Format(CultureInfo.InvariantCulture, "{0}:{1:00}:{2:00}", (int)d.TotalHours, d.Minutes, d.Seconds)
            : string.Format(CultureInfo.InvariantCulture, "{0}:{1:00}", d.Minutes, d.Seconds);
    }

    /// <summary>Parses "500", "64K", "10M", "1.5G" or "2MiB" (binary multiples) into bytes.</summary>
    public static long Parse(string text)
    {
        if (!TryParse(text, out long bytes))
        {
            throw new FormatException($"'{text}' is not a size; use a number with an optional K, M or G suffix, e.g. 10M.");
        }

        return bytes;
    }

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string t = text!.Trim();
        int end = t.Length;
        while (end > 0 && char.IsLetter(t[end - 1]))
        {
            end--;
        }

        string suffix = t.Substring(end).ToUpperInvariant();
        long multiplier = suffix switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            "T" or "TB" or "TIB" => 1L << 40,
            _ => 0,
        };
        if (multiplier == 0 ||
            !double.TryParse(t.Substring(0, end).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ||
            number < 0 || double.IsInfinity(number) || number * multiplier > long.MaxValue)
        {
            return false;
        }

        bytes = (long)(number * multiplier);
        return true;
    }
}
