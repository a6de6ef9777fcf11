using Scute.Engine.Devices;
using Scute.Runtime;

namespace Scute.Engine.Tests.Devices;

public sealed class CdiRegistryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scute-cdi-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string name)
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void Spec(string dir, string file, string kind, string device, string env) =>
        File.WriteAllText(Path.Combine(dir, file), $$$"""{"cdiVersion":"0.3.0","kind":"{{{kind}}}","devices":[{"name":"{{{device}}}","containerEdits":{"env":["{{{env}}}"]}}]}""");

    private static string? Trusted(string path) => null;

    [Fact]
    public void The_later_folder_wins_and_the_spec_edits_come_before_the_devices()
    {
        var etc = Dir("etc");
        var run = Dir("run");
        Spec(etc, "a.json", "v.com/gpu", "all", "FROM=etc");
        Spec(run, "a.json", "v.com/gpu", "all", "FROM=run");
        var registry = CdiRegistry.Load([etc, run], Trusted);
        var (spec, edits) = registry.Resolve("v.com/gpu=all");
        Assert.StartsWith(run, spec.File, StringComparison.Ordinal);
        Assert.Equal(["FROM=run"], edits[1].Env);
    }

    [Fact]
    public void Two_files_of_one_folder_for_one_kind_conflict()
    {
        var etc = Dir("etc");
        Spec(etc, "a.json", "v.com/gpu", "all", "A=1");
        Spec(etc, "b.json", "v.com/gpu", "all", "B=1");
        var e = Assert.Throws<ContainerSetupException>(() => CdiRegistry.Load([etc], Trusted).Resolve("v.com/gpu=all"));
        Assert.Contains("both define v.com/gpu", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_kind_missing_device_and_malformed_names_are_one_line_each()
    {
        var etc = Dir("etc");
        Spec(etc, "a.json", "v.com/gpu", "all", "A=1");
        var registry = CdiRegistry.Load([etc], Trusted);
        Assert.Contains("no spec for v.com/nic", Assert.Throws<ContainerSetupException>(() => registry.Resolve("v.com/nic=all")).Message, StringComparison.Ordinal);
        Assert.Contains("has no device 'gpu7' (it has all)", Assert.Throws<ContainerSetupException>(() => registry.Resolve("v.com/gpu=gpu7")).Message, StringComparison.Ordinal);
        Assert.Contains("is not a CDI device name", Assert.Throws<ContainerSetupException>(() => registry.Resolve("gpu")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_root_did_not_write_is_not_read_and_the_refusal_says_why()
    {
        var etc = Dir("etc");
        Spec(etc, "a.json", "v.com/gpu", "all", "A=1");
        var registry = CdiRegistry.Load([etc], p => p.EndsWith("a.json", StringComparison.Ordinal) ? "is owned by uid 1001, not root" : null);
        Assert.False(registry.HasKind("v.com/gpu"));
        var e = Assert.Throws<ContainerSetupException>(() => registry.Resolve("v.com/gpu=all"));
        Assert.Contains("a.json: is owned by uid 1001, not root", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_real_ownership_rule_refuses_a_group_writable_spec()
    {
        Skip.IfNot(Environment.UserName == "root", "needs root: the rule accepts only root-owned files");
        var etc = Dir("etc");
        Spec(etc, "a.json", "v.com/gpu", "all", "A=1");
        File.SetUnixFileMode(etc, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(Path.Combine(etc, "a.json"), (UnixFileMode)0x1B4);
        Assert.False(CdiRegistry.Load([etc], p => TrustedFile.RootOwned(p)).HasKind("v.com/gpu"));
        File.SetUnixFileMode(Path.Combine(etc, "a.json"), (UnixFileMode)0x1A4);
        Assert.True(CdiRegistry.Load([etc], p => TrustedFile.RootOwned(p)).HasKind("v.com/gpu"));
    }
}
