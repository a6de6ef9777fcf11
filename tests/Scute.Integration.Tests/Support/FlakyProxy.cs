using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// A reverse proxy in front of a registry on 127.0.0.1 (Kestrel) that misbehaves as networks do:
/// every <c>failEvery</c>-th request fails, alternately with HTTP 500 and with the connection
/// dropped, and blob bodies can be slowed to a rate (so a transfer can be killed half-way).
/// The registry sees the proxy's host in Host, so the upload locations it gives lead back here.
/// </summary>
public sealed class FlakyProxy : IDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromMinutes(5) };
    private readonly string _target;
    private readonly int _failEvery;
    private readonly long _bytesPerSecond;
    private int _requests;
    private int _failures;

    private FlakyProxy(string target, int failEvery, long bytesPerSecond)
    {
        _target = target;
        _failEvery = failEvery;
        _bytesPerSecond = bytesPerSecond;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = new Uri(_app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Host = $"127.0.0.1:{address.Port}";
    }

    /// <summary>host:port of the proxy, for references and SCUTE_INSECURE_REGISTRIES.</summary>
    public string Host { get; }

    public int Requests => _requests;

    public int Failures => _failures;

    public static FlakyProxy Start(string target, int failEvery = 0, long bytesPerSecond = 0) => new(target, failEvery, bytesPerSecond);

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        _http.Dispose();
    }

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length", "Content-Type", "Content-Range" };

    private async Task HandleAsync(HttpContext context)
    {
        var n = Interlocked.Increment(ref _requests);
        if (_failEvery > 0 && n % _failEvery == 0)
        {
            Interlocked.Increment(ref _failures);
            if (n / _failEvery % 2 == 0)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = 500;
            return;
        }

        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), $"http://{_target}{request.Path}{request.QueryString}");
        if (request.Method is "POST" or "PUT" or "PATCH")
        {
            forward.Content = new StreamContent(request.Body);
            foreach (var name in new[] { "Content-Type", "Content-Length", "Content-Range" })
            {
                if (request.Headers.TryGetValue(name, out var value))
                {
                    forward.Content.Headers.TryAddWithoutValidation(name, value.ToArray());
                }
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!HopByHop.Contains(name))
            {
                forward.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }

        forward.Headers.Host = Host;
        using var response = await _http.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, value) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = value.ToArray();
            }
        }

        if (request.Method == "HEAD")
        {
            return;
        }

        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = new byte[64 * 1024];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long sent = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            sent += read;
            if (_bytesPerSecond > 0)
            {
                var due = TimeSpan.FromSeconds((double)sent / _bytesPerSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, context.RequestAborted);
                }
            }
        }
    }
}
