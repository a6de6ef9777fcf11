using System.Net;
using System.Runtime.InteropServices;
using Scute.Images.Download;
using Scute.Manifest;

namespace Scute.Images.Providers.SimpleStreams;

/// <summary>
/// The image server behind Karapace's aliases (DESIGN §5): a simplestreams index at
/// <c>$SCUTE_IMAGE_SERVER</c>, images.linuxcontainers.org by default.
/// </summary>
/// <remarks>
/// HTTPS always: the index is what vouches for the rootfs's sha256, so whoever can change it in
/// transit chooses the rootfs. Plain http is accepted only for a loopback host (a test fixture or
/// a local mirror on this machine), where nobody else is on the wire.
/// </remarks>
public sealed class ImageServer
{
    public const string EnvironmentVariable = "SCUTE_IMAGE_SERVER";
    public const string DefaultBaseUrl = "https://images.linuxcontainers.org";
    public const string Variant = "default";

    /// <summary>Index documents larger than this are refused; the real images.json is a few MiB.</summary>
    public const long MaxIndexBytes = 256L * 1024 * 1024;

    /// <summary>Both index documents must have arrived within this; the rootfs download has its own stall timeout.</summary>
    public static readonly TimeSpan IndexTimeout = TimeSpan.FromMinutes(5);

    private readonly HttpClient http;

    public ImageServer(Uri baseUrl, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        BaseUrl = Validate(baseUrl);
        this.http = http;
    }

    /// <summary>Always ends in '/', so relative paths from the index resolve under it.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The base URL <c>SCUTE_IMAGE_SERVER</c> names, or the default.</summary>
    public static Uri BaseUrlFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Uri(DefaultBaseUrl);
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            ? uri
            : throw new ImageException($"{EnvironmentVariable}={text} is not an absolute URL (accepted: https://host[/path])");
    }

    /// <summary>The host's architecture in the image server's (Debian's) naming.</summary>
    public static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "armhf",
        Architecture.X86 => "i386",
        Architecture.RiscV64 => "riscv64",
        Architecture.Ppc64le => "ppc64el",
        Architecture.S390x => "s390x",
        Architecture.LoongArch64 => "loong64",
        var other => throw new ImageException($"the image server has no images for this machine's architecture ({other})"),
    };

    /// <summary>The product key of an alias on this host: &lt;os&gt;:&lt;release&gt;:&lt;arch&gt;:default.</summary>
    public static string ProductKey(ImageAlias alias, string architecture)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return $"{alias.Os}:{alias.Release}:{architecture}:{Variant}";
    }

    /// <summary>
    /// Finds the root.tar.xz for <paramref name="alias"/> in the index: the version <paramref name="pin"/>
    /// names (the lock's), else the newest. Two small GETs: index.json, then the catalog it names.
    /// </summary>
    public RootfsItem Find(ImageAlias alias, string architecture, ImagePin? pin)
    {
        ArgumentNullException.ThrowIfNull(alias);
        using var deadline = new CancellationTokenSource(IndexTimeout);
        var indexUrl = Under(SimpleStreamsCatalog.IndexPath);
        string imagesPath;
        using (var index = Open(indexUrl, alias, deadline.Token))
        {
            imagesPath = SimpleStreamsCatalog.FindImagesPath(index, indexUrl.ToString(), deadline.Token);
        }

        var imagesUrl = Under(imagesPath);
        using var images = Open(imagesUrl, alias, deadline.Token);
        var item = SimpleStreamsCatalog.FindRootfs(images, imagesUrl.ToString(), ProductKey(alias, architecture), pin?.Version, deadline.Token);
        if (pin is not null && item.Sha256 != pin.Sha256)
        {
            // Same version, other bytes: the server (or someone between) rewrote a published build.
            throw new DownloadDigestMismatchException(
                $"base image {alias.Name}: the image server now gives sha256:{item.Sha256} for version {item.Version} of {item.Product}, but the lock holds sha256:{pin.Sha256}; nothing was downloaded");
        }

        return item;
    }

    /// <summary>A path from the index, resolved under the base URL; one that would leave it is refused.</summary>
    public Uri Under(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Uri.TryCreate(BaseUrl, path, out var url) || !url.AbsoluteUri.StartsWith(BaseUrl.AbsoluteUri, StringComparison.Ordinal))
        {
            throw new ImageException($"the image server at {BaseUrl} gave the path '{path}', which is not under it");
        }

        return url;
    }

    private Stream Open(Uri url, ImageAlias alias, CancellationToken cancel)
    {
        try
        {
            return new BoundedReadStream(VerifiedDownload.OpenAsync(http, url, $"base image {alias.Name}", cancel).GetAwaiter().GetResult(), MaxIndexBytes, url.ToString());
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            throw new ImageException($"base image {alias.Name}: {url} did not answer within {IndexTimeout.TotalMinutes:0} minutes", e);
        }
    }

    private static Uri Validate(Uri baseUrl)
    {
        if (baseUrl.Scheme != Uri.UriSchemeHttps && !(baseUrl.Scheme == Uri.UriSchemeHttp && IsLoopback(baseUrl)))
        {
            throw new ImageException(
                $"{EnvironmentVariable}={baseUrl}: the image server must be reached over https (plain http only on this machine: 127.0.0.1, [::1] or localhost)");
        }

        if (baseUrl.UserInfo.Length > 0 || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0)
        {
            throw new ImageException($"{EnvironmentVariable}={baseUrl}: accepted is scheme, host, port and path only");
        }

        return baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
