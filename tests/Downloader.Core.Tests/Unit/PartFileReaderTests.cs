using Downloader.Core.Storage;

namespace Downloader.Core.Tests.Unit;

public sealed class PartFileReaderTests
{
    [Fact]
    public void One_reader_sees_bytes_written_after_it_opened_and_reads_on_after_the_rename_to_the_final_name()
    {
        using var dir = new TempDirectory();
        string path = dir.File("movie.mp4");
        using var reader = new PartFileReader(path);
        byte[] buffer = new byte[4];
        using (PartFile part = PartFile.Create(path + PartFile.Extension, 8, preallocate: true))
        {
            part.Write(0, new byte[] { 1, 2, 3, 4 }, 4);
            Assert.Equal(4, reader.Read(0, buffer, 4));
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, buffer);

            part.Write(4, new byte[] { 5, 6, 7, 8 }, 4);
        }

        FileMover.Publish(path + PartFile.Extension, path, overwrite: false);

        Assert.Equal(4, reader.Read(4, buffer, 4));
        Assert.Equal(new byte[] { 5, 6, 7, 8 }, buffer);
        Assert.Equal(0, reader.Read(8, buffer, 4));
    }

    [Fact]
    public void A_file_already_complete_is_read_under_its_final_name()
    {
        using var dir = new TempDirectory();
        string path = dir.File("done.bin");
        File.WriteAllBytes(path, new byte[] { 9, 8, 7 });
        using var reader = new PartFileReader(path);
        byte[] buffer = new byte[8];

        Assert.Equal(2, reader.Read(1, buffer, 8));
        Assert.Equal(new byte[] { 8, 7 }, buffer[..2]);
    }
}
