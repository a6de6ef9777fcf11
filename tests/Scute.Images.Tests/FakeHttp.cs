using System.Collections.Concurrent;
using System.Net;

namespace Scute.Images.Tests;

/// <summary>An HttpMessageHandler serving fixed bodies by path, counting every request.</summary>
internal sealed class FakeHttp : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Func<HttpContent>> routes = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Requests { get; } = new();

    public void Serve(string path, byte[] body) => routes[path] = () => new ByteArrayContent(body);

    public void Serve(string path, string body) => Serve(path, System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>A body that never ends: what a hostile server might send.</summary>
    public void ServeEndless(string path) => routes[path] = () => new StreamContent(new EndlessStream());

    /// <summary>Paths whose request never gets an answer.</summary>
    public HashSet<string> Hanging { get; } = [];

    public HttpClient Client() => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
        Requests.Enqueue(path);
        if (Hanging.Contains(path))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return routes.TryGetValue(path, out var body)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = body() }
            : new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found" };
    }

    private sealed class EndlessStream : Scute.Store.ReadOnlyForwardStream
    {
        public override int Read(Span<byte> buffer) => buffer.Length;
    }
}
