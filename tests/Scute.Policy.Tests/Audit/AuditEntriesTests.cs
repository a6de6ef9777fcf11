using Scute.Policy.Audit;

namespace Scute.Policy.Tests.Audit;

public sealed class AuditEntriesTests
{
    private const string StrictWithRelaxations = """
        [security]
        profile = "strict"
        readonly_root = false

        [security.capabilities]
        NET_BIND_SERVICE = "serves HTTP on port 80 to the LAN"

        [security.overrides]
        readonly_root = "the upstream app writes its cache under /usr/share/app"
        """;

    [Fact]
    public void Strict_records_each_override_with_its_effective_value_and_each_capability()
    {
        var manifest = Manifests.Parse(StrictWithRelaxations);

        var entries = AuditEntries.For(SecurityContextResolver.Resolve(manifest), manifest);

        Assert.Equal(
            [
                new AuditEntry(AuditKind.Capability, "capabilities.NET_BIND_SERVICE", "added", "serves HTTP on port 80 to the LAN"),
                new AuditEntry(AuditKind.Override, "readonly_root", "false", "the upstream app writes its cache under /usr/share/app"),
            ],
            entries);
    }

    [Fact]
    public void An_accepted_mount_override_records_the_mount_as_the_environment_gets_it()
    {
        var manifest = Manifests.Parse("""
            [mounts]
            keys = "/home/alice/.ssh:/keys:ro"

            [security]
            profile = "strict"

            [security.overrides]
            "mounts.keys" = "the deploy tool signs releases with this key"
            """);
        var context = SecurityContextResolver.Derive(manifest, Scute.Policy.Host.HostPolicy.Default);

        Assert.Equal(
            [new AuditEntry(AuditKind.Override, "mounts.keys", "/home/alice/.ssh:/keys:ro", "the deploy tool signs releases with this key")],
            AuditEntries.For(context, manifest));
    }

    [Fact]
    public void Strict_without_relaxations_records_nothing()
    {
        var manifest = Manifests.Parse("[security]\nprofile = \"strict\"\n");

        Assert.Empty(AuditEntries.For(SecurityContextResolver.Resolve(manifest), manifest));
    }

    [Fact]
    public void Dev_profile_records_the_writable_root_and_the_invoking_user()
    {
        var manifest = Manifests.Parse();

        var entries = AuditEntries.For(SecurityContextResolver.Resolve(manifest), manifest);

        Assert.Equal(
            [
                new AuditEntry(AuditKind.DevProfile, "readonly_root", "false", "profile dev: no [security] table"),
                new AuditEntry(AuditKind.DevProfile, "user", "invoking-user", "profile dev: no [security] table"),
            ],
            entries);
    }
}
