using System.Diagnostics;

namespace Downloader.Core.Tests;

/// <summary>Test media made by ffmpeg once per machine (kept in the temp folder): a WebM, and an MP4 whose index (moov) sits at the end.</summary>
public static class MediaFiles
{
    private static readonly Lazy<(byte[]? WebM, byte[]? Mp4)> Files = new(Make);

    public static bool Available => Files.Value.WebM != null && Files.Value.Mp4 != null;

    public static byte[] WebM => Files.Value.WebM!;

    public static byte[] Mp4 => Files.Value.Mp4!;

    public const double DurationSeconds = 40;

    public static bool Has(string tool) => Run(tool, out _, "-version");

    public static bool Run(string tool, out string output, params string[] args) => Run(tool, out output, TimeSpan.FromSeconds(60), args);

    private static bool Run(string tool, out string output, TimeSpan bound, params string[] args)
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
            if (!process.WaitForExit(bound))
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

    // One clip costs about 20 s of CPU; with both cores busy it took 74 s, past the 60 s a tool's run is given.
    private static readonly TimeSpan Making = TimeSpan.FromMinutes(10);

    private static (byte[]?, byte[]?) Make()
    {
        if (!Has("ffmpeg"))
        {
            return (null, null);
        }

        // Kept between runs. The folder's name changed when clips began to appear only whole: the one before may hold
        // a clip that a timeout cut short.
        string dir = Path.Combine(Path.GetTempPath(), "downloader-media-3");
        Directory.CreateDirectory(dir);

        // Both engine test assemblies run at once and share the folder: one makes the clips, the other waits for them.
        using var mutex = new Mutex(false, "Downloader.TestMedia");
        Take(mutex);
        try
        {
            string seconds = DurationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            byte[] webm = Made(Path.Combine(dir, "clip.webm"), seconds, "-c:v", "libvpx", "-b:v", "2M", "-minrate", "2M", "-maxrate", "2M", "-deadline", "realtime", "-cpu-used", "8");

            // No -movflags faststart: ffmpeg writes the index at the end, the case that breaks naive streamers.
            byte[] mp4 = Made(Path.Combine(dir, "tail.mp4"), seconds, "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2M", "-maxrate", "2M", "-bufsize", "1M", "-pix_fmt", "yuv420p");
            return (webm, mp4);
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }

    private static void Take(Mutex mutex)
    {
        try
        {
            if (!mutex.WaitOne(2 * Making + TimeSpan.FromMinutes(1)))
            {
                throw new TimeoutException("another test process held the media folder for longer than making both clips may take");
            }
        }
        catch (AbandonedMutexException)
        {
            // Its holder died while making a clip; this process holds the mutex now, and what it left is no clip.
        }
    }

    /// <summary>
    /// The clip at <paramref name="path"/>, made first if it is not there. ffmpeg writes it under a name of this
    /// process's, renamed to the clip's own once whole, so no reader ever takes a clip still being written or cut short.
    /// ffmpeg is installed where the tests run (.ci/run): a clip it cannot make is a failure, not a skip.
    /// </summary>
    private static byte[] Made(string path, string seconds, params string[] encoding)
    {
        if (!File.Exists(path))
        {
            // The extension stays last: ffmpeg picks the container by it.
            string partial = Path.Combine(Path.GetDirectoryName(path)!, $"{Environment.ProcessId}.{Path.GetFileName(path)}");
            string[] args = new[] { "-loglevel", "error", "-y", "-f", "lavfi", "-i", Source, "-t", seconds }.Concat(encoding).Append(partial).ToArray();
            if (!Run("ffmpeg", out string log, Making, args))
            {
                File.Delete(partial);
                throw new InvalidOperationException($"ffmpeg did not make {path} within {Making.TotalMinutes:0} min: {log}");
            }

            File.Move(partial, path, overwrite: true);
        }

        return File.ReadAllBytes(path);
    }
}
