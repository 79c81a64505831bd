using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// What a power loss may cost (issue 26): by default a list's files are renamed without a flush each, the folder noting
/// the boot; after a restart, a file renamed unflushed in the earlier boot is not trusted, even with its name, size and
/// date intact, and is downloaded again, unless the run that renamed it reached its end and confirmed its files on disk
/// (one syncfs, the note's third field). <c>--durable</c> flushes each file as before. Real CLI processes on loopback;
/// the restart is simulated by giving the folder's note another boot id, a kill before the end by leaving out the
/// confirmation, the power loss by zeroing a file's bytes.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class DurabilityTests
{
    private readonly OriginServer _origin;

    public DurabilityTests(OriginServer origin)
    {
        _origin = origin;
    }

    [SkippableFact]
    public async Task After_a_restart_a_file_renamed_unflushed_by_a_run_that_did_not_end_is_downloaded_again_though_name_size_and_date_are_intact()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the note is a Linux extended attribute");
        using var dir = new TempDirectory();
        (string list, Dictionary<string, byte[]> files, string output, string[] line) = await FirstRunAsync(dir, 3, 40_000);

        // The power loss: the machine restarted (the note's line is now an earlier boot's) before the run's end was
        // confirmed (no third field: as if it had been killed), and one file kept its name, size and date but lost its bytes.
        FolderNoteAttribute.Write(output, $"an-earlier-boot {line[1]}\n");
        string lost = files.Keys.First();
        string path = Path.Combine(output, lost);
        DateTime stamped = File.GetLastWriteTimeUtc(path);
        File.WriteAllBytes(path, new byte[files[lost].Length]);
        File.SetLastWriteTimeUtc(path, stamped);

        var repaired = await CliRunner.RunAsync(dir.Path, "-i", list, "-d", output, "--json");

        Assert.True(repaired.ExitCode == 0, repaired.Stderr);
        foreach ((string name, byte[] content) in files)
        {
            Assert.True(TestData.Sha256(content) == TestData.Sha256OfFile(Path.Combine(output, name)), $"'{name}' is not the served file");
        }

        // Every file of the earlier boot was fetched again: none could be trusted, not only the one that was damaged.
        Assert.Equal(files.Count, CountOf(repaired.Stdout, "\"status\":\"completed\""));
        Assert.Equal(files.Keys.Order(), Directory.GetFiles(output).Select(Path.GetFileName).Order());

        // Renamed again in this boot, they are trusted again: the next run skips them all.
        var again = await CliRunner.RunAsync(dir.Path, "-i", list, "-d", output, "--json");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(files.Count, CountOf(again.Stdout, "\"status\":\"skipped\""));
    }

    [SkippableFact]
    public async Task After_a_restart_the_files_of_a_run_that_reached_its_end_are_trusted_and_not_downloaded_again()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the note is a Linux extended attribute");
        using var dir = new TempDirectory();
        (string list, Dictionary<string, byte[]> files, string output, string[] line) = await FirstRunAsync(dir, 4, 30_000);

        // A clean restart: the line is an earlier boot's now, its confirmation kept.
        FolderNoteAttribute.Write(output, $"an-earlier-boot {line[1]} {line[2]}\n");
        Dictionary<string, ulong> inodes = files.Keys.ToDictionary(n => n, n => Inode(Path.Combine(output, n)));

        var again = await CliRunner.RunAsync(dir.Path, "-i", list, "-d", output, "--json");

        // Skipped, and not replaced: a download again would have renamed a new file (a new inode) onto each name.
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(files.Count, CountOf(again.Stdout, "\"status\":\"skipped\""));
        foreach ((string name, ulong inode) in inodes)
        {
            Assert.True(inode == Inode(Path.Combine(output, name)), $"'{name}' was downloaded again");
        }
    }

    [SkippableFact]
    public async Task A_run_killed_before_its_end_leaves_its_files_unconfirmed_and_after_a_restart_a_damaged_one_is_repaired()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the note is a Linux extended attribute");
        using var dir = new TempDirectory();
        (string list, Dictionary<string, byte[]> files) = List(dir, 3, 30_000);
        string output = Path.Combine(dir.Path, "out");

        // The list's last item never ends (its server stalls), so the run is killed with its other files renamed.
        File.AppendAllLines(dir.File(list), new[] { _origin.Url($"hangs/{TestData.Key()}").AbsoluteUri });
        ProcessStartInfo info = CliRunner.StartInfo(dir.Path, "-i", list, "-d", output, "--json");
        info.RedirectStandardOutput = true;
        using (Process cli = Process.Start(info)!)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            int completed = 0;
            while (completed < files.Count && await cli.StandardOutput.ReadLineAsync(deadline.Token) is string record)
            {
                completed += record.Contains("\"status\":\"completed\"", StringComparison.Ordinal) ? 1 : 0;
            }

            Assert.Equal(files.Count, completed);
            cli.Kill();
            await cli.WaitForExitAsync(deadline.Token);
        }

        // Noted, never confirmed: "BOOT SINCE" alone. Then the restart, and a file that lost its bytes.
        string[] line = (FolderNoteAttribute.Read(output) ?? "").TrimEnd('\n').Split(' ');
        Assert.True(line.Length == 2 && line[0] == FolderNoteAttribute.BootId, $"a killed run's note: '{string.Join(' ', line)}'");
        FolderNoteAttribute.Write(output, $"an-earlier-boot {line[1]}\n");
        string lost = Path.Combine(output, files.Keys.First());
        DateTime stamped = File.GetLastWriteTimeUtc(lost);
        File.WriteAllBytes(lost, new byte[files.Values.First().Length]);
        File.SetLastWriteTimeUtc(lost, stamped);

        File.WriteAllLines(dir.File(list), File.ReadAllLines(dir.File(list)).Take(files.Count));
        var repaired = await CliRunner.RunAsync(dir.Path, "-i", list, "-d", output);

        Assert.True(repaired.ExitCode == 0, repaired.Stderr);
        Assert.True(TestData.Sha256(files.Values.First()) == TestData.Sha256OfFile(lost), "the damaged file was not downloaded again");
    }

    [SkippableFact]
    public async Task A_list_waits_for_no_flush_per_file_and_durable_flushes_each_file()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "strace is Linux's");
        Assert.True(File.Exists("/usr/bin/strace"), "strace is needed (.ci/run installs it)");
        using var dir = new TempDirectory();
        (string list, _) = List(dir, 12, 20_000);

        (int plainFlushes, int plainFolderSyncs, int plainSyncfs) = await FlushesAsync(dir, list, "plain");
        (int durableFlushes, _, _) = await FlushesAsync(dir, list, "durable", "--durable");

        Assert.Equal(0, plainFlushes);
        Assert.Equal(2, plainFolderSyncs); // the folder's note, once before the first rename and once at the run's end
        Assert.Equal(1, plainSyncfs); // the run's end: one for the folder's file system, not one per file
        Assert.True(durableFlushes >= 12, $"--durable made {durableFlushes} fdatasync calls for 12 files");
    }

    /// <summary>
    /// A list's first run into "out": every file there and nothing else, and the folder's note one line of this boot
    /// with its confirmation, "BOOT SINCE CONFIRMED", the confirmation after the note; returns that line's fields.
    /// </summary>
    private async Task<(string List, Dictionary<string, byte[]> Files, string Output, string[] Line)> FirstRunAsync(TempDirectory dir, int count, int size)
    {
        (string list, Dictionary<string, byte[]> files) = List(dir, count, size);
        string output = Path.Combine(dir.Path, "out");
        var first = await CliRunner.RunAsync(dir.Path, "-i", list, "-d", output);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(files.Keys.Order(), Directory.GetFiles(output).Select(Path.GetFileName).Order());
        string[] line = (FolderNoteAttribute.Read(output) ?? "").TrimEnd('\n').Split(' ');
        Assert.True(line.Length == 3 && line[0] == FolderNoteAttribute.BootId, $"the note has no confirmation of this boot: '{string.Join(' ', line)}'");
        Assert.True(long.Parse(line[2], CultureInfo.InvariantCulture) > long.Parse(line[1], CultureInfo.InvariantCulture));
        return (list, files, output, line);
    }

    private (string List, Dictionary<string, byte[]> Files) List(TempDirectory dir, int count, int size)
    {
        string k = TestData.Key();
        var files = new Dictionary<string, byte[]>();
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string name = $"{k}-{i}.bin";
            files[name] = TestData.Bytes(size + i, 260 + i);
            _origin.AddFile(name, files[name]);
            lines.Add(_origin.Url($"named/0/{name}").AbsoluteUri);
        }

        File.WriteAllLines(dir.File("list.txt"), lines);
        return ("list.txt", files);
    }

    /// <summary>The CLI under <c>strace -f -c</c>: its fdatasync, fsync and syncfs calls, all threads.</summary>
    private static async Task<(int Fdatasync, int Fsync, int Syncfs)> FlushesAsync(TempDirectory dir, string list, string folder, params string[] extra)
    {
        string counts = dir.File(folder + ".strace");
        ProcessStartInfo cli = CliRunner.StartInfo(dir.Path, new[] { "-i", list, "-d", Path.Combine(dir.Path, folder) }.Concat(extra).ToArray());
        var info = new ProcessStartInfo("/usr/bin/strace")
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-f", "-c", "-e", "trace=fdatasync,fsync,syncfs", "-o", counts, "--", cli.FileName }.Concat(cli.ArgumentList))
        {
            info.ArgumentList.Add(arg);
        }

        var run = await CliRunner.RunAsync(info);
        Assert.True(run.ExitCode == 0, run.Stderr);
        string[] rows = File.ReadAllLines(counts);
        return (Calls(rows, "fdatasync"), Calls(rows, "fsync"), Calls(rows, "syncfs"));
    }

    // strace -c: "% time  seconds  usecs/call  calls  errors  syscall"; a call never made has no row.
    private static int Calls(string[] rows, string call)
    {
        string[]? row = rows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(f => f.Length >= 5 && f[^1] == call);
        return row == null ? 0 : int.Parse(row[3], CultureInfo.InvariantCulture);
    }

    private static int CountOf(string text, string what) => text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));

    // struct statx: stx_ino, 64 bits at byte 32.
    private static ulong Inode(string path)
    {
        var buffer = new byte[256];
        Assert.Equal(0, statx(-100, path, 0, 0x100, buffer));
        return BitConverter.ToUInt64(buffer, 32);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
}
