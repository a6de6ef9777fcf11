namespace Scute.Images.Registry;

/// <summary>
/// Where a registry host is reached: HTTPS always, plain HTTP only for a host:port listed in
/// SCUTE_INSECURE_REGISTRIES (comma-separated), as Podman's registries.conf "insecure" does.
/// </summary>
public static class RegistryEndpoint
{
    public const string InsecureVariable = "SCUTE_INSECURE_REGISTRIES";

    public static Uri BaseUri(string host, string? insecureList)
    {
        ArgumentNullException.ThrowIfNull(host);
        var scheme = IsInsecure(host, insecureList) ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new Uri($"{scheme}://{host}/");
    }

    public static bool IsInsecure(string host, string? insecureList) =>
        (insecureList ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase));
}
