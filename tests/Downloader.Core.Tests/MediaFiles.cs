using System.Diagnostics;

namespace Downloader.Core.Tests;

/// <summary>Test media made by ffmpeg once per run: a WebM, and an MP4 whose index (moov) sits at the end.</summary>
public static class MediaFiles
{
    private static readonly Lazy<(byte[]? WebM, byte[]? Mp4)> Files = new(Make);

    public static bool Available => Files.Value.WebM != null && Files.Value.Mp4 != null;

    public static byte[] WebM => Files.Value.WebM!;

    public static byte[] Mp4 => Files.Value.Mp4!;

    public const double DurationSeconds = 40;

    public static bool Has(string tool) => Run(tool, out _, "-version");

    public static bool Run(string tool, out string output, params string[] args)
    {
        output = string.Empty;
        try
        {
            var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
            {
                info.ArgumentList.Add(a);
            }

            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            output = stdout.Result + stderr.Result;
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    // Noise keeps the encoders at the asked bitrate: about 10 MB per clip, more than a player's first probe reads.
    private const string Source = "testsrc=size=640x360:rate=25,noise=alls=25:allf=t+u";

    private static (byte[]?, byte[]?) Make()
    {
        if (!Has("ffmpeg"))
        {
            return (null, null);
        }

        string dir = Path.Combine(Path.GetTempPath(), "downloader-media-2");
        Directory.CreateDirectory(dir);
        string webm = Path.Combine(dir, "clip.webm");
        string mp4 = Path.Combine(dir, "tail.mp4");
        string seconds = DurationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!File.Exists(webm) && !Run("ffmpeg", out _, "-loglevel", "error", "-y", "-f", "lavfi", "-i", Source, "-t", seconds, "-c:v", "libvpx", "-b:v", "2M", "-minrate", "2M", "-maxrate", "2M", "-deadline", "realtime", "-cpu-used", "8", webm))
        {
            return (null, null);
        }

        // No -movflags faststart: ffmpeg writes the index at the end, the case that breaks naive streamers.
        if (!File.Exists(mp4) && !Run("ffmpeg", out _, "-loglevel", "error", "-y", "-f", "lavfi", "-i", Source, "-t", seconds, "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2M", "-maxrate", "2M", "-bufsize", "1M", "-pix_fmt", "yuv420p", mp4))
        {
            return (null, null);
        }

        return (File.ReadAllBytes(webm), File.ReadAllBytes(mp4));
    }
}
