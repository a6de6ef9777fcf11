using Scute.Engine.Operations;
namespace Scute.Engine.Tests;

/// <summary>build --locked refuses a lock that no longer describes the manifest and names every drifted field.</summary>
public sealed class LockDriftTests : IDisposable
{
    private const string Base = TestProject.MockRuntime + """

        [mounts]
        workspace = "./:/workspace"

        [runtime.resource_limits]
        memory_limit_mb = 512
        """;

    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    private static BuildResult Locked(string manifest, string store) =>
        BuildOperation.Run(new EngineContext(store), manifest, null, new FixedClock(), new BuildOptions(Locked: true));

    [SkippableFact]
    public void An_unchanged_manifest_builds_locked()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", Base);
        var first = project.Build(manifest);

        var again = Locked(manifest, project.Store);

        Assert.Equal(first.EnvId, again.EnvId);
    }

    [SkippableFact]
    public void A_missing_lock_is_refused()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", Base);

        var e = Assert.Throws<LockException>(() => Locked(manifest, project.Store));

        Assert.Contains("there is no lock file", e.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("workspace = \"./:/workspace\"", "workspace = \"./:/src\"", "mounts")]
    [InlineData("memory_limit_mb = 512", "memory_limit_mb = 1024", "limits")]
    [InlineData("backend = \"mock\"", "backend = \"mock\"\nnetwork_isolation = true", "network")]
    [InlineData("[mounts]", "[hardware]\naudio = true\n\n[mounts]", "hardware")]
    [InlineData("[mounts]", "[security]\nprofile = \"strict\"\n\n[mounts]", "security")]
    public void Each_drifted_field_is_named(string from, string to, string field)
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", Base);
        project.Build(manifest);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(from, to, StringComparison.Ordinal));

        var e = Assert.Throws<LockException>(() => Locked(manifest, project.Store));

        Assert.Contains($"{field} (", e.Message, StringComparison.Ordinal);
        Assert.Contains("run scute build without --locked", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Several_drifted_fields_are_named_in_one_message()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", Base);
        project.Build(manifest);
        File.WriteAllText(manifest, File.ReadAllText(manifest)
            .Replace("memory_limit_mb = 512", "memory_limit_mb = 1024", StringComparison.Ordinal)
            .Replace("./:/workspace", "./:/src", StringComparison.Ordinal));

        var e = Assert.Throws<LockException>(() => Locked(manifest, project.Store));

        Assert.Contains("mounts (", e.Message, StringComparison.Ordinal);
        Assert.Contains("limits (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("image (", e.Message, StringComparison.Ordinal);
    }
}
