using System.Formats.Tar;
using System.Security.Cryptography;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Images.Tests;

/// <summary>build --offline: a downloaded image comes from the cache, found by a digest, or the build says what is missing.</summary>
public sealed class OfflineImageTests : IDisposable
{
    private static readonly Uri Server = new("http://127.0.0.1:8/mirror/");
    private readonly TempDir temp = new();
    private readonly FakeHttp http = new();

    public void Dispose() => temp.Dispose();

    private ResolvedImage Resolve(ScuteStore store, string written, bool offline, ImagePin? pin = null, Digest? manifestDigest = null) =>
        new ImageResolver(store, null, http.Client(), Server, offline).Resolve(ImageReference.Parse(written, "/"), pin, manifestDigest);

    private static byte[] Tarball()
    {
        using var ms = new MemoryStream();
        using (var writer = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(Archives.DirEntry("etc/"));
            writer.WriteEntry(Archives.FileEntry("etc/marker", "offline"));
        }

        return ms.ToArray();
    }

    [Fact]
    public void A_url_downloaded_before_is_used_offline_with_no_request()
    {
        var store = ScuteStore.OpenOrCreate(temp.Combine("store"));
        var bytes = Tarball();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        http.Serve("/rootfs.tar", bytes);
        var url = $"http://127.0.0.1:8/rootfs.tar#sha256={sha}";
        var online = Resolve(store, url, offline: false);
        http.Requests.Clear();

        var offline = Resolve(store, url, offline: true);

        Assert.Empty(http.Requests);
        Assert.Equal(online.ContentDigest, offline.ContentDigest);
    }

    [Fact]
    public void An_alias_not_in_the_cache_is_refused_offline_naming_what_is_missing()
    {
        var store = ScuteStore.OpenOrCreate(temp.Combine("store"));

        var e = Assert.Throws<ImageException>(() => Resolve(store, "debian/bookworm", offline: true, new ImagePin("20250101_05:24", new string('a', 64))));

        Assert.Empty(http.Requests);
        Assert.Contains("--offline: base image debian/bookworm would have to be downloaded", e.Message, StringComparison.Ordinal);
        Assert.Contains(new string('a', 64), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_without_a_lock_is_refused_offline()
    {
        var store = ScuteStore.OpenOrCreate(temp.Combine("store"));

        var e = Assert.Throws<ImageException>(() => Resolve(store, "debian/bookworm", offline: true));

        Assert.Contains("no lock names the version and sha256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_tag_without_a_recorded_digest_is_refused_offline()
    {
        var store = ScuteStore.OpenOrCreate(temp.Combine("store"));

        var e = Assert.Throws<ImageException>(() => Resolve(store, "localhost:5000/team/app:1.0", offline: true));

        Assert.Empty(http.Requests);
        Assert.Contains("no digest names it", e.Message, StringComparison.Ordinal);
    }
}
