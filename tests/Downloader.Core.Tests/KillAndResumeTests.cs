using System.Diagnostics;
using System.Text.Json;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Kills a real CLI process with SIGKILL at random instants, fifty times, and resumes after each kill: the result must
/// be byte-identical. This is the crash and reboot story, minus the reboot.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class KillAndResumeTests
{
    private readonly OriginServer _origin;

    public KillAndResumeTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Fifty_random_kills_then_resume_give_identical_bytes()
    {
        const int kills = 50;
        var random = new Random(7);
        int killed = 0;
        int rounds = 0;
        while (killed < kills && rounds < 4)
        {
            rounds++;
            using var dir = new TempDirectory();
            string key = TestData.Key();

            // ~3 MB at 4 × 400 KB/s takes about two seconds: room for a dozen kills per file.
            string url = _origin.Url($"slow/400000/{key}").AbsoluteUri;
            for (int i = 0; i < 25 && killed < kills; i++)
            {
                using Process process = Process.Start(CliRunner.StartInfo(dir.Path, url, "-x", "4", "-q"))!;
                await Task.Delay(random.Next(80, 400));
                if (process.HasExited)
                {
                    break;
                }

                process.Kill();
                await process.WaitForExitAsync();
                killed++;
            }

            // Whatever the last kill left must be a state the next run trusts, or no state at all.
            Resume.ResumeState? left = Resume.ResumeStateFile.TryLoad(dir.File(key) + ".downloader");
            bool hadData = left != null && left.Completed.TotalLength > 0;
            Assert.True(left != null || !File.Exists(dir.File(key) + ".downloader"), "unreadable state file after a kill");
            Assert.False(File.Exists(dir.File(key)), "a killed download left a file under the final name");

            var (exit, stdout, stderr) = await CliRunner.RunAsync(dir.Path, url, "-x", "4", "--json");
            Assert.True(exit == 0, stderr);
            Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
            Assert.Equal(new[] { key }, dir.Files());
            using JsonDocument json = JsonDocument.Parse(stdout);
            Assert.Equal(hadData, json.RootElement.GetProperty("resumed").GetBoolean());
        }

        Assert.Equal(kills, killed);
    }
}
