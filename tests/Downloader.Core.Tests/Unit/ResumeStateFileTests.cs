using Downloader.Core.Planning;
using Downloader.Core.Resume;

namespace Downloader.Core.Tests.Unit;

public sealed class ResumeStateFileTests
{
    [Fact]
    public void Round_trips()
    {
        using var dir = new TempDirectory();
        var state = new ResumeState
        {
            Url = new Uri("http://example.test/a b.iso"),
            Length = 1000,
            ETag = "\"abc\"",
            LastModified = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            Completed = new RangeSet(new[] { new ByteRange(0, 10), new ByteRange(500, 600) }),
        };
        ResumeStateFile.Save(dir.File("s"), state);

        ResumeState loaded = ResumeStateFile.TryLoad(dir.File("s"))!;

        Assert.Equal(state.Url, loaded.Url);
        Assert.Equal(state.Length, loaded.Length);
        Assert.Equal(state.ETag, loaded.ETag);
        Assert.Equal(state.LastModified, loaded.LastModified);
        Assert.Equal(state.Completed.Ranges, loaded.Completed.Ranges);
        Assert.Equal(new[] { "s" }, dir.Files());
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("downloader-state 1\nurl http://x/\nlength 10\nranges 0-5\n")]
    [InlineData("downloader-state 1\nurl http://x/\nlength 10\nranges 0-50\nend\n")]
    [InlineData("downloader-state 1\nurl http://x/\nlength ten\nranges \nend\n")]
    [InlineData("downloader-state 2\nurl http://x/\nlength 10\nranges \nend\n")]
    public void Truncated_or_foreign_files_are_ignored(string text)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("s"), text);

        Assert.Null(ResumeStateFile.TryLoad(dir.File("s")));
    }

    [Fact]
    public void Matching_requires_a_validator()
    {
        var url = new Uri("http://x/");
        var noValidator = new ResumeState { Url = url, Length = 10 };
        var withETag = new ResumeState { Url = url, Length = 10, ETag = "\"1\"" };

        Assert.False(noValidator.Matches(url, 10, null, null));
        Assert.True(withETag.Matches(url, 10, "\"1\"", null));
        Assert.False(withETag.Matches(url, 10, "\"2\"", null));
        Assert.False(withETag.Matches(url, 11, "\"1\"", null));
    }
}
