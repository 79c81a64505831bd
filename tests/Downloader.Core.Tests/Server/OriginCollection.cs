namespace Downloader.Core.Tests.Server;

/// <summary>One origin server for the whole test run; endpoints are keyed per test.</summary>
[CollectionDefinition(Name)]
public sealed class OriginCollection : ICollectionFixture<OriginServer>
{
    public const string Name = "origin";
}
