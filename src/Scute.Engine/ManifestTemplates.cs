namespace Scute.Engine;

/// <summary>The manifests `scute new` writes: minimal, dev and app.</summary>
public static class ManifestTemplates
{
    public static IReadOnlyList<string> Names { get; } = ["minimal", "dev", "app"];

    /// <summary>One line on what the template gives (Karapace's ListPresets over D-Bus shows it).</summary>
    public static string Description(string name) => name switch
    {
        "minimal" => "busybox and nothing else; the dev profile applies (no [security] table)",
        "dev" => "a development environment: busybox, this folder at /workspace, the dev profile",
        "app" => "a locked-down app: busybox, profile strict, uid 1001, no network",
        _ => throw new EngineException($"unknown template '{name}' (accepted: {string.Join(", ", Names)})"),
    };

    public static string Get(string name) => name switch
    {
        "minimal" => Minimal,
        "dev" => Dev,
        "app" => App,
        _ => throw new EngineException($"unknown template '{name}' (accepted: {string.Join(", ", Names)})"),
    };

    private const string Minimal = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        """;

    private const string Dev = """
        # A development environment: no [security] table, so the dev profile applies
        # (writable root whose changes are kept, your own uid inside, everything else locked down).
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [mounts]
        workspace = "./:/workspace"

        [runtime]
        backend = "namespace"
        network_isolation = false

        """;

    private const string App = """
        # A locked-down app: profile strict. Every relaxation needs a written reason under
        # [security.overrides]; every added capability needs one as its value.
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        backend = "namespace"
        network_isolation = true

        [security]
        profile = "strict"
        user = 1001
        group = 1001
        readonly_root = true
        no_new_privileges = true
        seccomp = "default"

        [security.capabilities]

        [security.overrides]

        """;

    /// <summary>Writes the template into the folder as scute.toml; refuses to overwrite.</summary>
    public static string Write(string folder, string name, bool force)
    {
        var text = Get(name);
        var path = Path.Combine(folder, "scute.toml");
        if (File.Exists(path) && !force)
        {
            throw new EngineException($"{path} already exists (use --force to replace it)");
        }

        AtomicFile.WriteAllText(path, text);
        return path;
    }
}
