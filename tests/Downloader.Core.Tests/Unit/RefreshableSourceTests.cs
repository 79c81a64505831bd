using Downloader.Core.Transfer;

namespace Downloader.Core.Tests.Unit;

/// <summary>The one-refresh-at-a-time rule of <see cref="RefreshableSource"/>, with a hook the test answers by hand.</summary>
public sealed class RefreshableSourceTests
{
    private static readonly Uri Original = new("https://cdn.example/big.iso?token=1");
    private static readonly Uri Fresh = new("https://cdn.example/big.iso?token=2");

    [Fact]
    public async Task Connections_refused_together_share_one_refresh()
    {
        var hook = new ManualHook();
        var source = new RefreshableSource(Original, hook, limit: 5, () => "/tmp/big.iso");

        Task<Uri> first = source.RefreshAsync(Original, 403, CancellationToken.None);
        Task<Uri> second = source.RefreshAsync(Original, 403, CancellationToken.None);
        RefreshRequest asked = await hook.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(second.IsCompleted);
        hook.Answer.SetResult(Fresh);

        Assert.Equal(Fresh, await first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Fresh, await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, hook.Calls);
        Assert.Equal(1, asked.Attempt);
        Assert.Equal(Fresh, source.Current);
        Assert.Equal(Fresh, source.ProbeTarget);
    }

    [Fact]
    public async Task A_late_refusal_of_the_old_url_retries_with_the_current_one_without_asking()
    {
        var hook = new ManualHook();
        var source = new RefreshableSource(Original, hook, limit: 5, () => null);
        Task<Uri> first = source.RefreshAsync(Original, 403, CancellationToken.None);
        hook.Answer.SetResult(Fresh);
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        // This request went out with the old URL before the refresh finished.
        Assert.Equal(Fresh, await source.RefreshAsync(Original, 403, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, hook.Calls);
    }

    [Fact]
    public async Task A_failed_refresh_fails_every_connection_with_the_same_error()
    {
        var hook = new ManualHook();
        var source = new RefreshableSource(Original, hook, limit: 5, () => null);
        Task<Uri> first = source.RefreshAsync(Original, 410, CancellationToken.None);
        hook.Answer.SetResult(null);

        var error = await Assert.ThrowsAsync<DownloadException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("returned no URL", error.Message);
        Assert.Equal(410, error.StatusCode);
        Assert.Same(error, await Assert.ThrowsAsync<DownloadException>(() => source.RefreshAsync(Original, 410, CancellationToken.None)));
        Assert.Equal(1, hook.Calls);
    }

    [Fact]
    public async Task A_cancelled_refresh_is_not_counted_and_may_be_asked_again()
    {
        var hook = new ManualHook();
        var source = new RefreshableSource(Original, hook, limit: 5, () => null);
        using var pause = new CancellationTokenSource();
        Task<Uri> first = source.RefreshAsync(Original, 403, pause.Token);
        await hook.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        pause.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, source.Refreshes);

        hook.Reset();
        Task<Uri> again = source.RefreshAsync(Original, 403, CancellationToken.None);
        RefreshRequest asked = await hook.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        hook.Answer.SetResult(Fresh);
        Assert.Equal(Fresh, await again.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, asked.Attempt);
    }

    /// <summary>A hook whose answer the test gives when it wants; it counts its calls.</summary>
    private sealed class ManualHook : IUrlRefresher
    {
        private int _calls;

        public TaskCompletionSource<RefreshRequest> Asked { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<Uri?> Answer { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public void Reset()
        {
            Asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public async Task<Uri?> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Asked.TrySetResult(request);
            using (cancellationToken.Register(() => Answer.TrySetCanceled(cancellationToken)))
            {
                return await Answer.Task;
            }
        }
    }
}
