using Scute.Manifest;
using Scute.Policy.Checks;
using Scute.Policy.Host;

namespace Scute.Policy.Tests.Checks;

/// <summary>
/// Golden fixtures per check (Checks/Fixtures/&lt;check id&gt;/pass-*.toml and fail-*.toml): a pass
/// fixture has only allowed findings of that check, a fail fixture at least one refused finding.
/// A sibling &lt;name&gt;.host.toml is the host policy it is evaluated under.
/// </summary>
public sealed class CheckFixtureTests : IDisposable
{
    private static readonly string FixtureRoot = Path.Combine(AppContext.BaseDirectory, "Checks", "Fixtures");
    private readonly string workDir = Directory.CreateTempSubdirectory("scute-fixture-").FullName;

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in Directory.GetDirectories(FixtureRoot).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.GetFiles(dir, "*.toml").Where(f => !f.EndsWith(".host.toml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(dir), Path.GetFileNameWithoutExtension(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_gives_the_expected_result_for_its_check(string checkId, string fixture)
    {
        var manifestPath = Path.Combine(workDir, "scute.toml");
        File.Copy(Path.Combine(FixtureRoot, checkId, fixture + ".toml"), manifestPath);
        File.CreateSymbolicLink(Path.Combine(workDir, "link-to-etc"), "/etc");
        var hostFile = Path.Combine(FixtureRoot, checkId, fixture + ".host.toml");
        var host = File.Exists(hostFile) ? HostPolicyLoader.Read(hostFile, HostPolicy.Default) : HostPolicy.Default;
        var manifest = ManifestParser.ParseFile(manifestPath);

        var findings = PolicyEngine.Evaluate(manifest, host).Report.Results.Where(r => r.CheckId == checkId).ToList();

        Assert.NotEmpty(findings);
        if (fixture.StartsWith("pass-", StringComparison.Ordinal))
        {
            Assert.All(findings, f => Assert.True(f.Allowed, $"{f.Key}: {f.Detail}"));
        }
        else
        {
            Assert.StartsWith("fail-", fixture, StringComparison.Ordinal);
            Assert.Contains(findings, f => !f.Allowed);
        }
    }

    [Fact]
    public void Every_registered_check_has_pass_and_fail_fixtures()
    {
        foreach (var check in CheckRegistry.All)
        {
            var dir = Path.Combine(FixtureRoot, check.Id);
            Assert.True(Directory.Exists(dir), $"no fixtures for {check.Id}");
            Assert.NotEmpty(Directory.GetFiles(dir, "pass-*.toml"));
            Assert.NotEmpty(Directory.GetFiles(dir, "fail-*.toml"));
        }
    }

    [Fact]
    public void Check_ids_are_unique_and_the_report_is_sorted()
    {
        Assert.Equal(CheckRegistry.All.Count, CheckRegistry.All.Select(c => c.Id).Distinct().Count());
        var manifestPath = Path.Combine(workDir, "scute.toml");
        File.WriteAllText(manifestPath, "manifest_version = 1\n[base]\nimage = \"debian:latest\"\n[security]\nuser = 5\n[security.capabilities]\nBPF = \"x\"\n");

        var results = PolicyEngine.Evaluate(ManifestParser.ParseFile(manifestPath), HostPolicy.Default).Report.Results;

        var keys = results.Select(r => (r.CheckId, r.Key)).ToList();
        Assert.Equal(keys.OrderBy(k => k.CheckId, StringComparer.Ordinal).ThenBy(k => k.Key, StringComparer.Ordinal), keys);
    }

    public void Dispose() => Directory.Delete(workDir, recursive: true);
}
