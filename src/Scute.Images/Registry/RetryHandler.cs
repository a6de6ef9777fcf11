using System.Net;
using System.Net.Http.Headers;

namespace Scute.Images.Registry;

/// <summary>
/// Retries what a registry or the network fails for a moment (a dropped connection, 429, 500,
/// 502, 503, 504) with exponential backoff, honouring Retry-After. Only a request whose body can
/// be sent again is retried here (none, or bytes in memory); a streamed upload is retried whole
/// by <see cref="RegistryPusher"/>.
/// </summary>
internal sealed class RetryHandler(int attempts, TimeSpan firstDelay) : DelegatingHandler
{
    public const int DefaultAttempts = 5;

    public static readonly TimeSpan DefaultFirstDelay = TimeSpan.FromMilliseconds(250);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var replayable = request.Content is null or ByteArrayContent;
        var delay = firstDelay;
        for (var attempt = 1; ; attempt++)
        {
            var last = !replayable || attempt >= attempts;
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (!last)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
                continue;
            }

            if (last || !IsTransient(response.StatusCode))
            {
                return response;
            }

            var wait = RetryAfter(response.Headers.RetryAfter) ?? delay;
            response.Dispose();
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    internal static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    // A registry that asks for minutes is not waited for that long: the caller's own timeout decides.
    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta is { } delta ? TimeSpan.FromSeconds(Math.Min(delta.TotalSeconds, 30)) : null;
}
