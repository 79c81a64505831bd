using System;
using System.Net.Http;

namespace Downloader.Core.Transfer;

/// <summary>
/// What the steps before a transfer hand it: the download's lease from the budget and, when the plan reuses it, the
/// probe's open body. The transfer makes its first <see cref="Connection"/> of them and owns them from then on.
/// </summary>
/// <param name="LeaseHost">The server the lease counts against (<see cref="ConnectionBudget.ServerOf"/>).</param>
/// <param name="BodyEnd">Where the body ends (exclusive), or -1.</param>
internal sealed record ProbeHandover(IDisposable? Lease, string? LeaseHost, HttpResponseMessage? Body, long BodyEnd);
