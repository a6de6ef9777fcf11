namespace Scute.Manifest.Tests.Support;

internal static class Identities
{
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public const string Security = """{"profile":"dev","user":"invoking"}""";

    public static IdentityInputs From(EnvironmentManifest m) => new()
    {
        BaseDigest = Digest,
        Packages = [.. m.Packages.Select(p => new ResolvedPackage(p, "1.0"))],
        Apps = m.Apps,
        Gpu = m.Gpu,
        Audio = m.Audio,
        Mounts = m.Mounts,
        Backend = m.Runtime.Backend,
        NetworkIsolation = m.Runtime.NetworkIsolation,
        CpuShares = m.Runtime.CpuShares,
        MemoryLimitMb = m.Runtime.MemoryLimitMb,
        SecurityContextJson = Security,
    };

    public static IdentityInputs Simple(IReadOnlyList<ResolvedPackage> packages, IReadOnlyList<string>? apps = null) => new()
    {
        BaseDigest = Digest,
        Packages = packages,
        Apps = apps ?? [],
        Gpu = false,
        Audio = false,
        Mounts = [],
        Backend = "namespace",
        NetworkIsolation = false,
        SecurityContextJson = Security,
    };
}
