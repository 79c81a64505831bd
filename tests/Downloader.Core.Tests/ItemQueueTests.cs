using Downloader.Core.Batch;
using Downloader.Core.Sessions;

namespace Downloader.Core.Tests;

/// <summary>
/// The queue between a producer reading a long list and the batch: the producer is held back to a bounded lead, and
/// the room the batch gives back (in batches, not per item) always lets it go on, so nothing stalls or goes missing.
/// </summary>
public sealed class ItemQueueTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_producer_held_back_by_a_full_queue_gets_every_item_through_in_order()
    {
        var queue = new ItemQueue();
        int count = 5 * ItemQueue.PendingLimit + 7;
        int added = 0;
        int taken = 0;
        int maxLead = 0;
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(await queue.AddAsync(Item(i), CancellationToken.None));
                Interlocked.Increment(ref added);
            }

            queue.Complete();
        });

        // The producer runs ahead until the queue is full, before anything is read.
        while (Volatile.Read(ref added) < ItemQueue.PendingLimit && !producer.IsCompleted)
        {
            await Task.Delay(10).WaitAsync(Deadline);
        }

        Task consumer = Task.Run(async () =>
        {
            int expected = 0;
            await foreach (BatchItem item in queue.ReadAsync())
            {
                Assert.Equal(Item(expected).Input, item.Input);
                expected++;
                int lead = Volatile.Read(ref added) - Interlocked.Increment(ref taken);
                maxLead = Math.Max(maxLead, lead);
            }
        });

        await Task.WhenAll(producer, consumer).WaitAsync(Deadline);
        Assert.Equal(count, taken);
        // One more than the limit at most: the producer may add the next item between a take and its count here.
        Assert.InRange(maxLead, ItemQueue.PendingLimit - 1, ItemQueue.PendingLimit + 1);
    }

    private static BatchItem Item(int i) => UrlListReader.Parse($"http://127.0.0.1/item/{i}", i + 1, ".");
}
