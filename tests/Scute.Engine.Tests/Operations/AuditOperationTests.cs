using Scute.Policy.Audit;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

public sealed class AuditOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void Build_records_each_override_and_capability_with_its_reason()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", AuditStore.StrictWithRelaxations));

        var listing = AuditOperation.Run(project.Context, null);

        Assert.Null(listing.Break);
        Assert.Collection(
            listing.Records,
            r =>
            {
                Assert.Equal((AuditKind.Capability, "capabilities.NET_BIND_SERVICE", "added", "serves HTTP on port 80 to the LAN"), (r.Kind, r.Field, r.Value, r.Reason));
                Assert.Equal(built.EnvId, r.EnvId);
                Assert.Equal(FixedClock.Now, r.Time);
                Assert.Equal(Environment.UserName, r.User.Name);
            },
            r => Assert.Equal((AuditKind.Override, "readonly_root", "false", "the upstream app writes its cache under /usr/share/app"), (r.Kind, r.Field, r.Value, r.Reason)));
        var metadata = ScuteStore.Open(project.Store).Metadata.Get(built.EnvId);
        Assert.Equal(Digest.Compute(System.Text.Encoding.UTF8.GetBytes(metadata.ManifestJson)).ToString(), listing.Records[0].ManifestDigest);
    }

    [SkippableFact]
    public void Rebuilding_an_unchanged_environment_adds_nothing()
    {
        TestProject.RequireBusybox();
        var manifest = project.WriteManifest("app", AuditStore.StrictWithRelaxations);
        project.Build(manifest);

        project.Build(manifest);

        Assert.Equal(2, AuditOperation.Run(project.Context, null).Records.Count);
    }

    [SkippableFact]
    public void Dev_profile_records_its_relaxations_and_records_filter_by_environment()
    {
        TestProject.RequireBusybox();
        var strict = project.Build(project.WriteManifest("strict", AuditStore.StrictWithRelaxations), name: "web");
        var dev = project.Build(project.WriteManifest("dev", TestProject.MockRuntime), name: "dev");

        var byName = AuditOperation.Run(project.Context, "dev");
        var byShortId = AuditOperation.Run(project.Context, strict.ShortId);

        Assert.Equal(
            [("dev_profile", "readonly_root", "false"), ("dev_profile", "user", "invoking-user")],
            byName.Records.Select(r => (r.Kind, r.Field, r.Value)));
        Assert.All(byName.Records, r => Assert.Equal(dev.EnvId, r.EnvId));
        Assert.All(byName.Records, r => Assert.Equal("profile dev: no [security] table", r.Reason));
        Assert.Equal(2, byShortId.Records.Count);
        Assert.All(byShortId.Records, r => Assert.Equal(strict.EnvId, r.EnvId));
    }

    [SkippableFact]
    public void Unknown_environment_is_an_engine_error()
    {
        TestProject.RequireBusybox();
        project.Build(project.WriteManifest("app", AuditStore.StrictWithRelaxations));

        Assert.Throws<EngineException>(() => AuditOperation.Run(project.Context, "nope"));
    }

    [SkippableFact]
    public void A_broken_chain_is_reported_and_refuses_further_records()
    {
        TestProject.RequireBusybox();
        project.Build(project.WriteManifest("app", AuditStore.StrictWithRelaxations));
        var log = AuditOperation.LogPath(new StoreLayout(project.Store));
        AuditStore.FlipByte(log, 100);

        var listing = AuditOperation.Run(project.Context, null);
        var e = Assert.Throws<StoreCorruptionException>(() => project.Build(project.WriteManifest("dev", TestProject.MockRuntime)));

        Assert.Equal(1, listing.Break?.Line);
        Assert.Equal(2, listing.Records.Count);
        Assert.Equal(log, e.ItemPath);
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }
}
