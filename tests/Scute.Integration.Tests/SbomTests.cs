using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// The SBOM of real Debian environments (the shared mmdebstrap base, served as debian/bookworm):
/// `scute sbom` names each package with the version dpkg-query reports inside, for the base's own
/// packages and for those build installed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SbomTests(DebianPackagesFixture fixture) : IClassFixture<DebianPackagesFixture>
{
    private const string BaseOnly = """
        manifest_version = 1

        [base]
        image = "debian/bookworm"
        """;

    private static JsonNode Package(JsonNode document, string name) =>
        document["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!;

    private static string DpkgVersion(ScuteSession s, string env, string package)
    {
        var r = s.Scute("exec", env, "--", "dpkg-query", "-W", "-f=${Version}", package);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Trim();
    }

    [SkippableFact]
    public void Sbom_of_a_debian_environment_lists_bash_with_the_version_dpkg_reports_and_is_the_same_every_time()
    {
        var s = fixture.Require();
        var id = s.Build(BaseOnly, "sbom/scute.toml");

        var first = s.Scute("sbom", id);
        var second = s.Scute("sbom", id);
        var output = Path.Combine(s.Root, "out", "sbom.spdx.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        Assert.Equal(0, TestUser.Run("chown", [$"{s.User.Name}:{s.User.Name}", Path.GetDirectoryName(output)!]).ExitCode);
        var toFile = s.Scute("sbom", id, "--output", output);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        Assert.Equal(first.Stdout.TrimEnd('\n'), File.ReadAllText(output));
        var document = JsonNode.Parse(first.Stdout)!;
        Assert.Equal("SPDX-2.3", document["spdxVersion"]!.GetValue<string>());
        var bash = Package(document, "bash");
        Assert.Equal(DpkgVersion(s, id, "bash"), bash["versionInfo"]!.GetValue<string>());
        Assert.StartsWith("Person: ", bash["supplier"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("pkg:deb/debian/bash@", bash["externalRefs"]![0]!["referenceLocator"]!.GetValue<string>(), StringComparison.Ordinal);
        var image = Package(document, "debian/bookworm");
        Assert.StartsWith("sha256:", image["versionInfo"]!.GetValue<string>(), StringComparison.Ordinal);
        var dpkgCount = s.Scute("exec", id, "--", "sh", "-c", "dpkg-query -W -f='${db:Status-Status}\\n' | grep -cx installed");
        Assert.True(dpkgCount.ExitCode == 0, dpkgCount.ToString());
        // Every installed package, plus the environment and the base image.
        Assert.Equal(int.Parse(dpkgCount.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture) + 2, document["packages"]!.AsArray().Count);
    }

    [SkippableFact]
    public void Sbom_lists_the_packages_build_installed_with_their_exact_versions()
    {
        var s = fixture.Require();
        var (id, _, _) = fixture.Strict;

        var r = s.Scute("sbom", id);

        Assert.True(r.ExitCode == 0, r.ToString());
        var document = JsonNode.Parse(r.Stdout)!;
        foreach (var name in new[] { "hello", "git", "make", "bash" })
        {
            Assert.Equal(DpkgVersion(s, id, name), Package(document, name)["versionInfo"]!.GetValue<string>());
        }
    }
}
