using Downloader.Core.Pipeline;
using Downloader.Core.Planning;
using Downloader.Core.Probing;

namespace Downloader.Core.Tests.Unit;

/// <summary>The pure parts of one download's pipeline: its state moves, its plan, its restart rule.</summary>
public sealed class DownloadPipelineTests
{
    private static readonly DownloadState[] All = Enum.GetValues<DownloadState>();

    /// <summary>Every legal move, written out; every pair not listed must be refused.</summary>
    private static readonly (DownloadState From, DownloadState To)[] Legal =
    {
        (DownloadState.Pending, DownloadState.Probing), (DownloadState.Pending, DownloadState.Paused),
        (DownloadState.Pending, DownloadState.Failed), (DownloadState.Pending, DownloadState.Cancelled),
        (DownloadState.Probing, DownloadState.Downloading), (DownloadState.Probing, DownloadState.Paused),
        (DownloadState.Probing, DownloadState.Completed), (DownloadState.Probing, DownloadState.Failed),
        (DownloadState.Probing, DownloadState.Cancelled),
        (DownloadState.Downloading, DownloadState.Paused), (DownloadState.Downloading, DownloadState.Probing),
        (DownloadState.Downloading, DownloadState.Verifying), (DownloadState.Downloading, DownloadState.Failed),
        (DownloadState.Downloading, DownloadState.Cancelled),
        (DownloadState.Paused, DownloadState.Probing), (DownloadState.Paused, DownloadState.Downloading),
        (DownloadState.Paused, DownloadState.Failed), (DownloadState.Paused, DownloadState.Cancelled),
        (DownloadState.Verifying, DownloadState.Completed), (DownloadState.Verifying, DownloadState.Failed),
        (DownloadState.Verifying, DownloadState.Cancelled),
    };

    [Fact]
    public void Download_state_moves_follow_the_table_and_a_finished_download_never_moves()
    {
        foreach (DownloadState from in All)
        {
            foreach (DownloadState to in All)
            {
                bool expected = Legal.Contains((from, to));
                Assert.True(expected == DownloadStateMachine.IsLegal(from, to), $"{from} -> {to} should be {(expected ? "legal" : "refused")}");
            }
        }

        var machine = new DownloadStateMachine();
        machine.Move(DownloadState.Probing);
        machine.Move(DownloadState.Downloading);
        machine.Move(DownloadState.Verifying);
        machine.Move(DownloadState.Completed);
        Assert.Throws<InvalidOperationException>(() => machine.Move(DownloadState.Downloading));
        machine.Finish(DownloadState.Failed);
        Assert.Equal(DownloadState.Completed, machine.State);
    }

    [Fact]
    public void A_splittable_file_is_planned_in_ranges_and_resumes_where_it_stopped()
    {
        var options = new DownloadOptions { MinSplitSize = 1024, MaxConnectionsPerFile = 4 };
        using var probe = new ProbeResult { Length = 10_000, AcceptsRanges = true, FinalUri = new Uri("http://x/f") };

        TransferPlan fresh = TransferPlan.Decide(probe, options, new RangeSet(), forceSingle: false);
        Assert.True(fresh.Ranged);
        Assert.True(fresh.Preallocate);
        Assert.True(fresh.ReuseProbeResponse);
        Assert.Equal(4, fresh.InitialSegments);
        Assert.False(fresh.Resumed);

        var done = new RangeSet();
        done.Add(new ByteRange(0, 4000));
        TransferPlan resumed = TransferPlan.Decide(probe, options, done, forceSingle: false);
        Assert.True(resumed.Resumed);
        Assert.False(resumed.Preallocate);
        Assert.False(resumed.ReuseProbeResponse);

        TransferPlan single = TransferPlan.Decide(probe, options, done, forceSingle: true);
        Assert.False(single.Ranged);
        Assert.False(single.Resumed);
        Assert.False(single.ReuseProbeResponse);

        using var small = new ProbeResult { Length = 2000, ResponseEnd = 2000, AcceptsRanges = true, FinalUri = new Uri("http://x/f") };
        TransferPlan whole = TransferPlan.Decide(small, options, new RangeSet(), forceSingle: false);
        Assert.False(whole.Ranged);
        Assert.True(whole.ReuseProbeResponse);
        Assert.True(TransferPlan.Decide(small, options, new RangeSet(), forceSingle: false, mirrors: true).Ranged);

        using var noRanges = new ProbeResult { Length = 10_000, AcceptsRanges = false, FinalUri = new Uri("http://x/f") };
        TransferPlan stream = TransferPlan.Decide(noRanges, options, new RangeSet(), forceSingle: false);
        Assert.False(stream.Ranged);
        Assert.True(stream.ReuseProbeResponse);
    }

    [Fact]
    public void One_restart_rule_for_every_target()
    {
        Assert.Equal(NextStep.Finish, RestartPolicy.After(TransferOutcome.Completed, 0, single: false, "u"));
        Assert.Equal(NextStep.Reprobe, RestartPolicy.After(TransferOutcome.RemoteChanged, RestartPolicy.MaxRestarts - 1, single: false, "u"));
        Assert.Equal(NextStep.Reprobe, RestartPolicy.After(TransferOutcome.RemoteChanged, 0, single: true, "u"));
        Assert.Equal(NextStep.SingleStream, RestartPolicy.After(TransferOutcome.RangeNotHonoured, 0, single: false, "u"));

        DownloadException changing = Assert.Throws<DownloadException>(() => RestartPolicy.After(TransferOutcome.RemoteChanged, RestartPolicy.MaxRestarts, single: false, "u"));
        Assert.Equal(DownloadErrorKind.RemoteChanged, changing.Kind);
        DownloadException ranges = Assert.Throws<DownloadException>(() => RestartPolicy.After(TransferOutcome.RangeNotHonoured, 0, single: true, "u"));
        Assert.Equal(DownloadErrorKind.RangeNotHonoured, ranges.Kind);
    }
}
