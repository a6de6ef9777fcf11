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

    public static string WithImage(string image) => $"""
        manifest_version = 1

        [base]
        image = "{image}"

        [security]
        profile = "strict"
        """;
}
