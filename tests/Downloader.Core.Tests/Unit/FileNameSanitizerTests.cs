using Downloader.Core.Naming;

namespace Downloader.Core.Tests.Unit;

public sealed class FileNameSanitizerTests
{
    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\win.ini", "win.ini")]
    [InlineData("/absolute/path.txt", "path.txt")]
    [InlineData("C:\\temp\\x.txt", "x.txt")]
    [InlineData("..", "download")]
    [InlineData("...", "download")]
    [InlineData("", "download")]
    [InlineData("   ", "download")]
    [InlineData("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt")]
    [InlineData("CON", "_CON")]
    [InlineData("nul.txt", "_nul.txt")]
    [InlineData("com1.tar.gz", "_com1.tar.gz")]
    [InlineData("trailing. . ", "trailing")]
    [InlineData("tab\tname", "tab_name")]
    [InlineData("naïve €.bin", "naïve €.bin")]
    public void Sanitizes(string input, string expected) => Assert.Equal(expected, FileNameSanitizer.Sanitize(input));

    [Fact]
    public void Long_names_are_cut_keeping_the_extension()
    {
        string name = FileNameSanitizer.Sanitize(new string('a', 500) + ".iso");

        Assert.Equal(FileNameSanitizer.MaxLength, name.Length);
        Assert.EndsWith(".iso", name);
    }

    [Theory]
    [InlineData("http://h/dir/file%20name.zip?token=abc", "file name.zip")]
    [InlineData("http://h/dir/", "download")]
    [InlineData("http://h/", "download")]
    [InlineData("http://h/a/%2e%2e%2fsecret", "secret")]
    [InlineData("http://h/%E2%82%AC.txt", "€.txt")]
    public void Names_from_urls(string url, string expected) => Assert.Equal(expected, FileNameSanitizer.FromUri(new Uri(url)));

    [Fact]
    public void SafePath_refuses_to_leave_the_folder()
    {
        string root = Path.GetTempPath();

        Assert.Throws<DownloadException>(() => SafePath.Combine(root, "../x"));
        Assert.Throws<DownloadException>(() => SafePath.Combine(root, "/etc/passwd"));
        Assert.Equal(Path.Combine(Path.GetFullPath(root), "ok.txt"), SafePath.Combine(root, "ok.txt"));
    }
}
