namespace Scute.Integration.Tests.Support;

public static class Manifests
{
    public const string Strict = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        network_isolation = true

        [security]
        profile = "strict"
        user = 1001
        group = 1001
        """;

    public const string Karapace = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [mounts]
        workspace = "./:/workspace"

        [runtime]
        backend = "namespace"
        network_isolation = false
        """;

    /// <summary>
    /// <see cref="Strict"/> with the project folder at /workspace, where tests copy attack
    /// programs; [security] stays the last table, so a test can append more of its keys.
    /// </summary>
    public static readonly string StrictWithWorkspace =
        Strict.Replace("[runtime]", "[mounts]\nworkspace = \"./:/workspace\"\n\n[runtime]", StringComparison.Ordinal);

    public static string WithImage(string image) => $"""
        manifest_version = 1

        [base]
        image = "{image}"

        [security]
        profile = "strict"
        """;
}
