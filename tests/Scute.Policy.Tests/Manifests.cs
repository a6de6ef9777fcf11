using Scute.Manifest;

namespace Scute.Policy.Tests;

internal static class Manifests
{
    public const string Path = "/tmp/x/scute.toml";

    public const string Head = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        """;

    public static EnvironmentManifest Parse(string rest = "") => ManifestParser.Parse(Head + rest, Path);

    public static EffectiveSecurityContext Resolve(string rest = "") => SecurityContextResolver.Resolve(Parse(rest));
}
