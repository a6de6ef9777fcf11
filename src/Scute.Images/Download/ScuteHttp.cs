namespace Scute.Images.Download;

/// <summary>The HTTP client downloads go through: bounded waits, redirects followed but never from https down to http.</summary>
public static class ScuteHttp
{
    public static HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            // SocketsHttpHandler never follows an https → http redirect; the limit stops loops.
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            // No Accept-Encoding is sent, so the body is the file's own bytes: what its sha256 is of.
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            // Until the response headers arrive; the body has its own stall timeout (VerifiedDownload).
            Timeout = TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("scute");
        return client;
    }
}
