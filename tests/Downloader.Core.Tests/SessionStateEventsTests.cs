using System.Collections.Concurrent;
using Downloader.Core.Sessions;
using Downloader.Core.Streaming;

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

    [Fact]
    public async Task Suspend_Stop_and_Completion_return_while_a_slow_subscriber_still_handles_Running()
    {
        var delivered = new ConcurrentQueue<SessionState>();
        using var insideRunning = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var session = new DownloadSession(new DownloadOptions(), new Unit.ProgressCollector());
        session.State.Changed += state =>
        {
            delivered.Enqueue(state);
            if (state == SessionState.Running)
            {
                // A job's PowerShell subscriber, busy on a pool thread.
                insideRunning.Set();
                release.Wait(3 * Bound);
            }
        };
        try
        {
            Task start = Task.Run(session.Start);
            Assert.True(insideRunning.Wait(Bound));

            // The pipeline thread's commands must not queue behind that subscriber.
            Assert.True(await Task.Run(session.Suspend).WaitAsync(Bound), "Suspend returned");
            Task completion = await Task.Factory.StartNew(() => session.Completion, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default).WaitAsync(Bound);
            Assert.True(await Task.Run(() => session.Stop()).WaitAsync(Bound), "Stop returned");
            Assert.False(start.IsCompleted, "the subscriber still runs on the thread that started the session");
            release.Set();
            await start.WaitAsync(Bound);
            await completion.WaitAsync(Bound);
        }
        finally
        {
            release.Set();
        }

        Assert.Equal(new[] { SessionState.Running, SessionState.Suspending, SessionState.Stopping, SessionState.Stopped }, delivered.ToArray());
    }

    [Fact]
    public async Task A_stream_stop_returns_while_a_slow_subscriber_handles_an_earlier_move_and_is_delivered_after_it()
    {
        var machine = new StreamStateMachine();
        var delivered = new ConcurrentQueue<StreamState>();
        using var insideStarting = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        machine.Changed += (_, state) =>
        {
            delivered.Enqueue(state);
            if (state == StreamState.Starting)
            {
                insideStarting.Set();
                release.Wait(3 * Bound);
            }
        };
        try
        {
            Task<bool> start = Task.Run(() => machine.TryMove(StreamState.Starting));
            Assert.True(insideStarting.Wait(Bound));

            Assert.True(await Task.Run(() => machine.TryMove(StreamState.Stopped)).WaitAsync(Bound), "the stop was made at once");
            Assert.Equal(StreamState.Stopped, machine.State);
            Assert.Equal(new[] { StreamState.Starting }, delivered.ToArray());
            release.Set();
            Assert.True(await start.WaitAsync(Bound));
        }
        finally
        {
            release.Set();
        }

        Assert.Equal(new[] { StreamState.Starting, StreamState.Stopped }, delivered.ToArray());
    }
}
