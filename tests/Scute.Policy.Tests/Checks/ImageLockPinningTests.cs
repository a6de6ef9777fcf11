using Scute.Manifest;
using Scute.Policy.Checks;
using Scute.Policy.Host;
using Scute.Tests.Shared;

namespace Scute.Policy.Tests.Checks;

/// <summary>strict and aliases: refused while nothing pins them, allowed once the lock holds the version and sha256 the build will use.</summary>
public sealed class ImageLockPinningTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("scute-lockpin-").FullName;

    [Fact]
    public void Strict_refuses_an_alias_without_a_lock_and_allows_it_with_one()
    {
        var manifestPath = Path.Combine(folder, "scute.toml");
        File.WriteAllText(manifestPath, "manifest_version = 1\n[base]\nimage = \"debian/bookworm\"\n[security]\nprofile = \"strict\"\n");

        Assert.False(ImageFinding(manifestPath).Allowed);

        LockFileIo.Write(Path.Combine(folder, "scute.lock"), SampleLocks.For("debian/bookworm", "20250101_05:24", new string('a', 64)));

        var finding = ImageFinding(manifestPath);
        Assert.True(finding.Allowed, finding.Detail);
        Assert.Contains("pinned by the lock", finding.Detail, StringComparison.Ordinal);
    }

    private static CheckResult ImageFinding(string manifestPath) =>
        PolicyEngine.Evaluate(ManifestParser.ParseFile(manifestPath), HostPolicy.Default).Report.Results.Single(r => r.CheckId == "image");

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
