using System.Reflection;

namespace Downloader.Core.Tests.Unit;

/// <summary>
/// <see cref="DownloadOptions"/> is plain data: settings a front end binds and derives with <c>with</c>. Live
/// services (a rate limiter, a URL refresher, a piece selector) are built from it or passed beside it, never held in it.
/// </summary>
public sealed class DownloadOptionsDataTests
{
    [Fact]
    public void No_option_is_a_live_service()
    {
        foreach (PropertyInfo option in Options(typeof(DownloadOptions)).Concat(Options(typeof(Http.NetworkSettings))))
        {
            Type type = Nullable.GetUnderlyingType(option.PropertyType) ?? option.PropertyType;
            Assert.False(typeof(Delegate).IsAssignableFrom(type), $"{option.DeclaringType!.Name}.{option.Name} is a delegate, which is behaviour, not data.");
            Assert.False(IsService(type), $"{option.DeclaringType!.Name}.{option.Name} is a {type.Name}, a live service: build it from data, or pass it beside the options.");
        }
    }

    [Fact]
    public void The_rate_limit_is_a_number_the_client_builds_its_one_limiter_from()
    {
        var options = new DownloadOptions { MaxBytesPerSecond = 123_456 };
        using var client = new DownloadClient(options);
        using var other = new DownloadClient(options);

        Assert.Equal(123_456, client.Limiter.BytesPerSecond);

        // One limiter per client, not per options: changing one client's rate leaves the other's and the options alone.
        client.Limiter.BytesPerSecond = 1;
        Assert.Equal(123_456, other.Limiter.BytesPerSecond);
        Assert.Equal(123_456, options.MaxBytesPerSecond);
    }

    private static IEnumerable<PropertyInfo> Options(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract");

    // A type whose public methods hand out tasks does work when called: a service, not a value.
    private static bool IsService(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => typeof(Task).IsAssignableFrom(m.ReturnType));
}
