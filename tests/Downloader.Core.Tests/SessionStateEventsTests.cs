using System.Collections.Concurrent;
using Downloader.Core.Sessions;

namespace Downloader.Core.Tests;

/// <summary>
/// The session's Changed events arrive in the order the states changed, one at a time, and nothing arrives after a
/// finished state: a job that shows Completed never goes back to Suspending.
/// </summary>
public sealed class SessionStateEventsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_move_racing_a_slow_delivery_is_delivered_after_it()
    {
        var machine = new SessionStateMachine();
        var delivered = new ConcurrentQueue<SessionState>();
        using var insideSuspending = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        machine.Changed += state =>
        {
            if (state == SessionState.Suspending)
            {
                // The user's Suspend is still being delivered when the batch ends.
                insideSuspending.Set();
                release.Wait(Bound);
            }

            delivered.Enqueue(state);
        };
        Assert.True(machine.TryMove(SessionState.Running));

        Task<bool> suspend = Task.Run(() => machine.TryMove(SessionState.Suspending));
        Assert.True(insideSuspending.Wait(Bound));
        Task<bool> complete = Task.Run(() => machine.TryMove(SessionState.Completed));

        // Give the racing move every chance to overtake; a correct machine holds it back until Suspending is delivered.
        await Task.WhenAny(complete, Task.Delay(300));
        release.Set();
        Assert.True(await suspend.WaitAsync(Bound));
        Assert.True(await complete.WaitAsync(Bound));

        Assert.Equal(new[] { SessionState.Running, SessionState.Suspending, SessionState.Completed }, delivered.ToArray());
        Assert.Equal(SessionState.Completed, machine.State);
    }

    [Fact]
    public async Task Racing_moves_are_delivered_as_a_legal_path_in_the_order_they_happened()
    {
        for (int round = 0; round < 50; round++)
        {
            var machine = new SessionStateMachine();
            var moved = new ConcurrentQueue<SessionState>();
            var delivered = new List<SessionState>();
            int inside = 0;
            bool overlapped = false;
            machine.Changed += state =>
            {
                if (Interlocked.Increment(ref inside) != 1)
                {
                    overlapped = true;
                }

                delivered.Add(state);
                Thread.SpinWait(20_000);
                Interlocked.Decrement(ref inside);
            };
            machine.TryMove(SessionState.Running);

            using var go = new ManualResetEventSlim();
            SessionState[] wanted = { SessionState.Suspending, SessionState.Completed, SessionState.Stopping, SessionState.Suspended, SessionState.Running, SessionState.Stopped };
            Task[] racers = wanted.Select(next => Task.Run(() =>
            {
                go.Wait(Bound);
                machine.TryMove(next);
            })).ToArray();
            go.Set();
            await Task.WhenAll(racers).WaitAsync(Bound);

            Assert.False(overlapped, "two Changed handlers ran at once");
            Assert.Equal(SessionState.Running, delivered[0]);
            for (int i = 1; i < delivered.Count; i++)
            {
                Assert.True(SessionStateMachine.IsLegal(delivered[i - 1], delivered[i]), $"{delivered[i - 1]} -> {delivered[i]} delivered");
            }

            Assert.Equal(machine.State, delivered[^1]);
        }
    }

    [Fact]
    public void A_handler_that_moves_again_sees_its_own_move_after_the_one_it_handles()
    {
        var machine = new SessionStateMachine();
        var delivered = new List<SessionState>();
        machine.Changed += state =>
        {
            delivered.Add(state);
            if (state == SessionState.Stopping)
            {
                machine.TryMove(SessionState.Stopped);
            }
        };

        machine.TryMove(SessionState.Running);
        machine.TryMove(SessionState.Stopping);

        Assert.Equal(new[] { SessionState.Running, SessionState.Stopping, SessionState.Stopped }, delivered);
    }
}
