namespace Scute.Manifest.Tests.Support;

internal static class Samples
{
    public const string ManifestPath = "/project/scute.toml";

    public const string Minimal = """
        manifest_version = 1
        [base]
        image = "debian/bookworm"
        """;

    public const string Karapace = """
        manifest_version = 1
        [base]
        image = "rolling"
        [system]
        packages = ["git", "curl"]
        [gui]
        apps = ["ide"]
        [hardware]
        gpu = true
        audio = true
        [mounts]
        workspace = "./:/workspace"
        [runtime]
        backend = "namespace"
        network_isolation = false
        [runtime.resource_limits]
        cpu_shares = 1024
        memory_limit_mb = 4096
        """;

    public const string Full = """
        manifest_version = 1

        [base]
        image = "docker.io/library/debian:12.8"

        [system]
        packages = ["git", " curl ", "git", "build-essential"]

        [gui]
        apps = ["firefox", "code"]

        [hardware]
        gpu = true
        audio = false

        [mounts]
        workspace = "./:/workspace"
        data = "/srv/data:/data:ro"
        cache = "~/.cache/app:/home/app/.cache/"

        [runtime]
        backend = "Podman"
        network_isolation = true

        [runtime.resource_limits]
        cpu_shares = 512
        memory_limit_mb = 2048

        [security]
        profile = "Strict"
        user = 1001
        group = 1002
        readonly_root = false
        no_new_privileges = true
        seccomp = "default"

        [security.capabilities]
        NET_BIND_SERVICE = "  serves HTTP on port 80 to the LAN  "
        cap_chown = "fixes ownership of the cache on start"

        [security.overrides]
        readonly_root = "writes its cache under /usr/share/app; the upstream image cannot be changed"
        """;

    public static EnvironmentManifest Parse(string text) => ManifestParser.Parse(text, ManifestPath);
}
