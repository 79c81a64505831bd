using Downloader.Core.Naming;

namespace Downloader.Core.Tests.Unit;

public sealed class PathReservationsTests
{
    [Fact]
    public void A_path_is_held_while_running_and_stays_taken_once_settled()
    {
        var names = new PathReservations();
        string path = Path.Combine(Path.GetTempPath(), "a.bin");

        Assert.True(names.TryReserve(path));
        Assert.False(names.TryReserve(path));

        names.Settle(path);
        Assert.False(names.TryReserve(path));
        names.Release(path);
        Assert.False(names.TryReserve(path));
    }

    [Fact]
    public void A_released_path_is_free_again_and_others_are_unaffected()
    {
        var names = new PathReservations();
        string a = Path.Combine(Path.GetTempPath(), "a.bin");
        string b = Path.Combine(Path.GetTempPath(), "b.bin");
        Assert.True(names.TryReserve(a));
        Assert.True(names.TryReserve(b));
        names.Settle(b);

        names.Release(a);

        Assert.True(names.TryReserve(a));
        Assert.False(names.TryReserve(b));
        Assert.True(names.TryReserve(PathReservations.WithSuffix(b, 1)));
    }
}
