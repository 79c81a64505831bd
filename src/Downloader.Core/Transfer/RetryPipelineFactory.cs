using System;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace Downloader.Core.Transfer;

/// <summary>
/// The Polly pipeline every request runs in: exponential backoff with jitter for transient failures, and the
/// server's Retry-After when it sent one (capped, so a hostile value cannot park a download for a day).
/// </summary>
internal static class RetryPipelineFactory
{
    public static ResiliencePipeline Create(DownloadOptions options, Action onRetry)
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
                OnRetry = _ =>
                {
                    onRetry();
                    return default;
                },
            })
            .Build();
    }
}
