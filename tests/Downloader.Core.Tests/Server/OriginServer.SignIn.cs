using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>Sign-in endpoints: a bearer token, a Negotiate-only server, and a session cookie set by a sign-in URL.</summary>
public sealed partial class OriginServer
{
    public const string BearerToken = "t0ken-S3cret-vAlue";
    public const string SessionCookie = "c00kie-S3cret-vAlue";

    private void MapSignIn(ServeOptions good)
    {
        // Needs "Authorization: Bearer <token>"; throttled so a test can interrupt it and resume.
        _app.MapGet("/bearer/{key}", c => HasBearer(c.Request)
            ? RangeResponder.ServeAsync(c, Content, good with { BytesPerSecond = 300_000 })
            : Challenge(c.Response, "Bearer realm=\"test\""));

        // Signed in here, then sent to another host (localhost instead of 127.0.0.1) that must not see the token.
        _app.MapGet("/bearer-to-other-host/{key}", c =>
        {
            if (!HasBearer(c.Request))
            {
                return Challenge(c.Response, "Bearer realm=\"test\"");
            }

            c.Response.StatusCode = 302;
            c.Response.Headers.Location = $"http://localhost:{BaseUri.Port}/file/{c.Request.RouteValues["key"]}";
            return Task.CompletedTask;
        });

        // Serves only the agent a test names (artifact stores that gate on a client's User-Agent).
        _app.MapGet("/needs-agent/{agent}/{key}", c => c.Request.Headers.UserAgent.ToString() == (string)c.Request.RouteValues["agent"]!
            ? RangeResponder.ServeAsync(c, Content, good)
            : Status(c.Response, 403));

        // A Windows-only intranet server: nothing but Negotiate is offered.
        _app.MapGet("/negotiate/{key}", c => Challenge(c.Response, "Negotiate"));

        // A sign-in page that sets a session cookie for the whole site, and a file that needs it.
        _app.MapGet("/sign-in/{key}", c =>
        {
            c.Response.Headers.SetCookie = $"sid={SessionCookie}; Path=/; HttpOnly";
            return c.Response.WriteAsync("signed in");
        });
        _app.MapGet("/needs-cookie/{key}", c => c.Request.Cookies["sid"] == SessionCookie
            ? RangeResponder.ServeAsync(c, Content, good)
            : Status(c.Response, 403));
    }

    private static bool HasBearer(HttpRequest request) => request.Headers.Authorization.ToString() == "Bearer " + BearerToken;

    private static Task Challenge(HttpResponse response, string challenge)
    {
        response.StatusCode = 401;
        response.Headers.WWWAuthenticate = challenge;
        return Task.CompletedTask;
    }
}
