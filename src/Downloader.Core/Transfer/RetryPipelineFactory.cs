using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace Downloader.Core.Transfer;

/// <summary>
/// The Polly pipeline every request runs in: exponential backoff with jitter for transient failures, and the
/// server's Retry-After when it sent one (capped, so a hostile value cannot park a download for a day). Built once
/// per client, because building validates options by reflection; each download counts its own retries through the
/// resilience context.
/// </summary>
internal static class RetryPipelineFactory
{
    private static readonly ResiliencePropertyKey<StrongBox> Counter = new("Downloader.Retries");

    public static ResiliencePipeline Create(DownloadOptions options)
    {
        if (options.MaxRetries <= 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is DownloadException { IsTransient: true }),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is DownloadException { RetryAfter: TimeSpan wait }
                        ? (wait < options.MaxRetryDelay ? wait : options.MaxRetryDelay)
                        : null),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(Counter, out StrongBox? box))
                    {
                        Interlocked.Increment(ref box.Value);
                    }

                    return default;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="action"/> in the pipeline, adding its retries to <paramref name="retries"/>.</summary>
    /// <remarks>
    /// The first attempt runs outside the pipeline: almost every request succeeds at once, and Polly's context, its
    /// six nested state machines and their callbacks were a tenth of the allocations of a list of small files (two
    /// requests per file). A transient failure enters the pipeline as its first outcome, so the backoff, the
    /// Retry-After and the count of retries are the pipeline's own, as if it had run that attempt.
    /// </remarks>
    public static async Task<T> ExecuteAsync<T>(this ResiliencePipeline pipeline, Func<CancellationToken, Task<T>> action, StrongBox retries, CancellationToken cancellationToken)
    {
        // As the pipeline does: a cancelled download starts no attempt.
        cancellationToken.ThrowIfCancellationRequested();
        ExceptionDispatchInfo first;
        try
        {
            return await action(cancellationToken).ConfigureAwait(false);
        }
        catch (DownloadException e) when (e.IsTransient && pipeline != ResiliencePipeline.Empty)
        {
            first = ExceptionDispatchInfo.Capture(e);
        }

        return await RetryAfterFirstAsync(pipeline, action, first, retries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pipeline, whose first attempt is the failure that already happened.</summary>
    private static async Task<T> RetryAfterFirstAsync<T>(ResiliencePipeline pipeline, Func<CancellationToken, Task<T>> action, ExceptionDispatchInfo first, StrongBox retries, CancellationToken cancellationToken)
    {
        ExceptionDispatchInfo? replay = first;
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Counter, retries);
        try
        {
            return await pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    ExceptionDispatchInfo? failed = Interlocked.Exchange(ref replay, null);
                    failed?.Throw();
                    return await state(ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                action).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>A shared counter of retries for one download.</summary>
    internal sealed class StrongBox
    {
        public int Value;
    }
}
