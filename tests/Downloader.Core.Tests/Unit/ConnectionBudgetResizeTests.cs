using Downloader.Core.Transfer;

namespace Downloader.Core.Tests.Unit;

/// <summary>Set-Download -Threads: the budget of a running client changes without cutting a connection in use.</summary>
public sealed class ConnectionBudgetResizeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Lowered_below_what_is_in_use_it_keeps_the_leases_that_come_back_until_the_new_total_holds()
    {
        var budget = new ConnectionBudget(4, 16);
        var held = new List<IDisposable>();
        for (int i = 0; i < 4; i++)
        {
            held.Add(await budget.AcquireAsync("h", CancellationToken.None).WaitAsync(Bound));
        }

        budget.Resize(2);
        Assert.Equal(2, budget.Total);

        // Three come back: the first two pay off the excess, the third frees one place of the new two.
        held[0].Dispose();
        held[1].Dispose();
        held[2].Dispose();
        IDisposable next = await budget.AcquireAsync("h", CancellationToken.None).WaitAsync(Bound);
        Task<IDisposable> waiting = budget.AcquireAsync("h", CancellationToken.None);
        Assert.False(waiting.IsCompleted, "a third connection while two are in use, with a total of two");

        next.Dispose();
        (await waiting.WaitAsync(Bound)).Dispose();
        held[3].Dispose();
    }

    [Fact]
    public async Task Raised_it_frees_the_new_places_at_once_and_forgives_an_excess_not_yet_returned()
    {
        var budget = new ConnectionBudget(2, 16);
        IDisposable a = await budget.AcquireAsync("h", CancellationToken.None).WaitAsync(Bound);
        IDisposable b = await budget.AcquireAsync("h", CancellationToken.None).WaitAsync(Bound);
        budget.Resize(1);

        budget.Resize(3);

        IDisposable c = await budget.AcquireAsync("h", CancellationToken.None).WaitAsync(Bound);
        Task<IDisposable> fourth = budget.AcquireAsync("h", CancellationToken.None);
        Assert.False(fourth.IsCompleted, "a fourth connection with a total of three");
        a.Dispose();
        (await fourth.WaitAsync(Bound)).Dispose();
        b.Dispose();
        c.Dispose();
    }
}
