using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Scute.Images.Oci;

namespace Scute.Images.Registry;

/// <summary>
/// The distribution API's auth flow, under every request: send; on 401 read the
/// <c>WWW-Authenticate</c> challenge; for <c>Basic</c> resend with the credential; for
/// <c>Bearer realm=...,service=...,scope=...</c> get a token from the realm (with the credential
/// when there is one, anonymously otherwise) and resend with it. Tokens are kept per scope and
/// reused by the next requests, including parallel blob downloads.
/// </summary>
internal sealed class RegistryAuthHandler(RegistryCredential? credential, string? insecureList) : DelegatingHandler
{
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile string? _lastScope;
    private volatile bool _basic;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorize(request, _lastScope);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.FirstOrDefault() is not { } challenge
            || request.Content is not (null or ByteArrayContent))
        {
            return response;
        }

        if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credential is null)
            {
                return response;
            }

            _basic = true;
        }
        else if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var parameters = ParseChallenge(challenge.Parameter ?? "");
            var scope = parameters.GetValueOrDefault("scope") ?? "";
            var token = await FetchTokenAsync(parameters, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _tokens[scope] = token;
            }

            _lastScope = scope;
        }
        else
        {
            return response;
        }

        response.Dispose();
        using var retry = Clone(request);
        Authorize(retry, _lastScope);
        return await base.SendAsync(retry, cancellationToken).ConfigureAwait(false);
    }

    private void Authorize(HttpRequestMessage request, string? scope)
    {
        if (_basic && credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicToken);
            return;
        }

        string? token = null;
        lock (_gate)
        {
            if (scope is not null)
            {
                _tokens.TryGetValue(scope, out token);
            }
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private async Task<string> FetchTokenAsync(Dictionary<string, string> challenge, CancellationToken ct)
    {
        if (!challenge.TryGetValue("realm", out var realmText) || !Uri.TryCreate(realmText, UriKind.Absolute, out var realm))
        {
            throw new ImageException("the registry asked for a bearer token without a usable realm in its WWW-Authenticate header");
        }

        // A credential (or a token) never travels in clear text unless that host is declared insecure.
        if (realm.Scheme != Uri.UriSchemeHttps && !(realm.Scheme == Uri.UriSchemeHttp && RegistryEndpoint.IsInsecure(realm.Authority, insecureList)))
        {
            throw new ImageException($"the registry's token service {realm.GetLeftPart(UriPartial.Path)} is not HTTPS; add {realm.Authority} to {RegistryEndpoint.InsecureVariable} to allow it");
        }

        var query = new List<string>();
        foreach (var key in new[] { "service", "scope" })
        {
            if (challenge.TryGetValue(key, out var value))
            {
                query.Add(key + "=" + Uri.EscapeDataString(value));
            }
        }

        var builder = new UriBuilder(realm) { Query = string.Join('&', query) };
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicToken);
        }

        using var response = await base.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ImageException($"the registry's token service {realm.GetLeftPart(UriPartial.Path)} refused a token (HTTP {(int)response.StatusCode})"
                + (credential is null ? "; no credentials for it were found in the auth files" : $"; check the credentials for user {credential.User}"));
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        RegistryToken? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(OciDocuments.ReadCapped(body, "token response"), OciJsonContext.Default.RegistryToken);
        }
        catch (JsonException e)
        {
            throw new ImageException($"the registry's token service answered something that is not a token ({e.Message})", e);
        }

        return parsed?.Token ?? parsed?.AccessToken
            ?? throw new ImageException("the registry's token service answered without a token");
    }

    /// <summary>Parses <c>realm="...",service="...",scope="..."</c>; values may hold commas inside quotes.</summary>
    internal static Dictionary<string, string> ParseChallenge(string parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && (parameters[i] == ',' || parameters[i] == ' '))
            {
                i++;
            }

            var eq = parameters.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = parameters[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < parameters.Length && parameters[i] == '"')
            {
                var end = parameters.IndexOf('"', i + 1);
                end = end < 0 ? parameters.Length : end;
                value = parameters[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = parameters.IndexOf(',', i);
                end = end < 0 ? parameters.Length : end;
                value = parameters[i..end].Trim();
                i = end;
            }

            result[key] = value;
        }

        return result;
    }

    private static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        // A body in memory (a manifest, a chunk) is sent again; a streamed one cannot be, and
        // never needs to be: a push asks with HEAD and POST first, so the challenge is met by then.
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content as ByteArrayContent };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        copy.Headers.Authorization = null;
        return copy;
    }
}
