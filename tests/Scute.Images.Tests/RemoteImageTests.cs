using System.Formats.Tar;
using System.Security.Cryptography;
using Scute.Images.Download;
using Scute.Images.Providers.SimpleStreams;
using Scute.Manifest;
using Scute.Store;
using Scute.Tests.Shared;

namespace Scute.Images.Tests;

/// <summary>Aliases through a simplestreams index and http(s) tarballs, against a fake server: choice, verification, cache.</summary>
public sealed class RemoteImageTests : IDisposable
{
    private const string OldVersion = "20250101_05:24";
    private const string NewVersion = "20250102_05:24";
    private static readonly Uri Server = new("http://127.0.0.1:8/mirror/");
    private readonly TempDir temp = new();
    private readonly FakeHttp http = new();
    private readonly string arch = ImageServer.HostArchitecture();

    public void Dispose() => temp.Dispose();

    private ScuteStore NewStore(string name = "store") => ScuteStore.OpenOrCreate(temp.Combine(name));

    private ResolvedImage Resolve(ScuteStore store, string written, ImagePin? pin = null) =>
        new ImageResolver(store, null, http.Client(), Server).Resolve(ImageReference.Parse(written, "/"), pin);

    private static byte[] Tar(string marker)
    {
        using var ms = new MemoryStream();
        using (var writer = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(Archives.DirEntry("etc/"));
            writer.WriteEntry(Archives.FileEntry("etc/marker", marker));
        }

        return ms.ToArray();
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>debian/bookworm in two versions; <paramref name="published"/> overrides what the index says the newest hashes to.</summary>
    private (byte[] Old, byte[] New) ServeBookworm(string? published = null, long? size = null)
    {
        var (old, @new) = (Tar("old"), Tar("new"));
        var items = new[]
        {
            new StreamsRootfs("debian", "bookworm", arch, OldVersion, StreamsRootfs.ServerPath("debian", "bookworm", arch, OldVersion), Sha(old), old.Length),
            new StreamsRootfs("debian", "bookworm", arch, NewVersion, StreamsRootfs.ServerPath("debian", "bookworm", arch, NewVersion), published ?? Sha(@new), size ?? @new.Length),
        };
        http.Serve("/mirror/streams/v1/index.json", SimpleStreamsDocuments.Index(items));
        http.Serve("/mirror/streams/v1/images.json", SimpleStreamsDocuments.Images(items));
        http.Serve("/mirror/" + items[0].Path, old);
        http.Serve("/mirror/" + items[1].Path, @new);
        return (old, @new);
    }

    private static void AssertNothingKept(ScuteStore store)
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.ImagesDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Layout.StagingDir));
    }

    [Fact]
    public void An_alias_resolves_to_the_newest_root_tar_xz_for_this_host()
    {
        var (_, @new) = ServeBookworm();

        var image = Resolve(NewStore(), "debian/bookworm");

        Assert.Equal("new", File.ReadAllText(Path.Combine(image.RootfsPath, "etc/marker")));
        Assert.Equal(NewVersion, image.SourceVersion);
        Assert.Equal(Sha(@new), image.SourceSha256);
        Assert.Equal(["/mirror/streams/v1/index.json", "/mirror/streams/v1/images.json", "/mirror/" + StreamsRootfs.ServerPath("debian", "bookworm", arch, NewVersion)], http.Requests);
    }

    [Fact]
    public void The_lock_s_version_is_used_instead_of_the_newest()
    {
        var (old, _) = ServeBookworm();

        var image = Resolve(NewStore(), "debian/bookworm", new ImagePin(OldVersion, Sha(old)));

        Assert.Equal("old", File.ReadAllText(Path.Combine(image.RootfsPath, "etc/marker")));
        Assert.Equal(OldVersion, image.SourceVersion);
    }

    [Fact]
    public void A_locked_alias_already_in_the_cache_makes_no_request()
    {
        ServeBookworm();
        var store = NewStore();
        var first = Resolve(store, "debian/bookworm");
        http.Requests.Clear();

        var again = Resolve(store, "debian/bookworm", new ImagePin(first.SourceVersion, first.SourceSha256!));

        Assert.Empty(http.Requests);
        // The rootfs's tar made while extracting is only known to the resolve that extracted.
        Assert.Equal(first with { RootfsTar = null }, again);
    }

    [Fact]
    public void A_rootfs_that_does_not_hash_to_the_index_s_sha256_is_refused_and_nothing_is_kept()
    {
        ServeBookworm(published: new string('9', 64));
        var store = NewStore();

        var e = Assert.Throws<DownloadDigestMismatchException>(() => Resolve(store, "debian/bookworm"));

        Assert.IsAssignableFrom<StoreException>(e);
        Assert.Contains("sha256:" + new string('9', 64), e.Message, StringComparison.Ordinal);
        AssertNothingKept(store);
    }

    [Fact]
    public void A_rootfs_longer_than_the_index_announces_is_cut_off_and_refused()
    {
        ServeBookworm(size: 100);
        http.ServeEndless("/mirror/" + StreamsRootfs.ServerPath("debian", "bookworm", arch, NewVersion));
        var store = NewStore();

        var e = Assert.Throws<DownloadDigestMismatchException>(() => Resolve(store, "debian/bookworm"));

        Assert.Contains("longer than the 100 bytes", e.Message, StringComparison.Ordinal);
        AssertNothingKept(store);
    }

    [Fact]
    public void A_published_version_whose_sha256_changed_since_the_lock_is_refused_before_downloading()
    {
        ServeBookworm();
        var store = NewStore();

        Assert.Throws<DownloadDigestMismatchException>(() => Resolve(store, "debian/bookworm", new ImagePin(NewVersion, new string('7', 64))));

        Assert.DoesNotContain(http.Requests, r => r.EndsWith("rootfs.tar.xz", StringComparison.Ordinal));
        AssertNothingKept(store);
    }

    [Fact]
    public void An_alias_the_server_does_not_have_is_one_clear_error()
    {
        ServeBookworm();

        var e = Assert.Throws<ImageException>(() => Resolve(NewStore(), "fedora/41"));

        Assert.Contains($"no product fedora:41:{arch}:default", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_path_outside_the_server_is_refused()
    {
        http.Serve("/mirror/streams/v1/index.json", "{\"index\":{\"images\":{\"datatype\":\"image-downloads\",\"path\":\"https://elsewhere.example/images.json\"}}}");

        var e = Assert.Throws<ImageException>(() => Resolve(NewStore(), "debian/bookworm"));

        Assert.Contains("not under it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_answers_404_is_one_clear_error()
    {
        var e = Assert.Throws<ImageException>(() => Resolve(NewStore(), "debian/bookworm"));

        Assert.Contains("answered 404", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_never_answers_is_one_clear_error()
    {
        http.Hanging.Add("/mirror/streams/v1/index.json");
        using var client = new HttpClient(http, disposeHandler: false) { Timeout = TimeSpan.FromMilliseconds(200) };

        var e = Assert.Throws<ImageException>(() => new ImageResolver(NewStore(), null, client, Server).Resolve(ImageReference.Parse("debian/bookworm", "/")));

        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://images.example.com", true)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080/mirror", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://images.example.com", false)]
    [InlineData("http://10.0.0.1:8080", false)]
    [InlineData("ftp://images.example.com", false)]
    public void The_image_server_is_reached_over_https_or_plain_http_on_loopback_only(string url, bool accepted)
    {
        using var client = http.Client();
        var make = () => new ImageServer(new Uri(url), client);

        if (accepted)
        {
            Assert.EndsWith("/", make().BaseUrl.AbsoluteUri, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("https", Assert.Throws<ImageException>(make).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_url_with_the_right_sha256_resolves_and_a_second_build_makes_no_request()
    {
        var tar = Tar("url");
        http.Serve("/files/rootfs.tar", tar);
        var store = NewStore();
        var written = $"http://files.example/files/rootfs.tar#sha256={Sha(tar)}";

        var first = Resolve(store, written);
        var again = Resolve(store, written);

        Assert.Equal("url", File.ReadAllText(Path.Combine(first.RootfsPath, "etc/marker")));
        Assert.Equal(Sha(tar), first.SourceSha256);
        Assert.NotNull(first.RootfsTar);
        Assert.Equal(first with { RootfsTar = null }, again);
        Assert.Single(http.Requests);
    }

    [Fact]
    public void A_url_with_a_wrong_sha256_is_refused_and_nothing_is_kept()
    {
        http.Serve("/files/rootfs.tar", Tar("url"));
        var store = NewStore();

        var e = Assert.Throws<DownloadDigestMismatchException>(() => Resolve(store, $"https://files.example/files/rootfs.tar#sha256={new string('0', 64)}"));

        Assert.Contains("#sha256=", e.Message, StringComparison.Ordinal);
        AssertNothingKept(store);
    }

    [Fact]
    public void A_url_without_sha256_reports_what_it_hashed_to_and_the_lock_s_value_then_avoids_the_download()
    {
        var tar = Tar("url");
        http.Serve("/files/rootfs.tar", tar);
        var store = NewStore();

        var first = Resolve(store, "https://files.example/files/rootfs.tar");
        var again = Resolve(store, "https://files.example/files/rootfs.tar", new ImagePin(null, first.SourceSha256!));

        Assert.Equal(Sha(tar), first.SourceSha256);
        Assert.Equal(first.ContentDigest, again.ContentDigest);
        Assert.Single(http.Requests);
    }

    [Fact]
    public void A_url_serving_something_else_than_the_lock_says_is_refused()
    {
        http.Serve("/files/rootfs.tar", Tar("changed upstream"));
        var store = NewStore();

        var e = Assert.Throws<DownloadDigestMismatchException>(() => Resolve(store, "https://files.example/files/rootfs.tar", new ImagePin(null, Sha(Tar("url")))));

        Assert.Contains("lock", e.Message, StringComparison.Ordinal);
        AssertNothingKept(store);
    }

    [Fact]
    public void A_download_that_is_not_a_tar_archive_leaves_nothing()
    {
        http.Serve("/files/rootfs.tar", "<html>not a tarball</html>");
        var store = NewStore();

        Assert.Throws<ImageException>(() => Resolve(store, "https://files.example/files/rootfs.tar"));

        AssertNothingKept(store);
    }
}
