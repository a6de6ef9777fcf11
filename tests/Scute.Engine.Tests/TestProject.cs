using Scute.Images.Providers;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests;

/// <summary>A temp folder holding a store and one or more project folders with manifests.</summary>
public sealed class TestProject : IDisposable
{
    public const string Head = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        """;

    public const string MockRuntime = """

        [runtime]
        backend = "mock"

        """;

    public const string Workspace = """

        [mounts]
        workspace = "./:/workspace"

        """;

    public TestProject()
    {
        Root = Path.Combine(Path.GetTempPath(), "scute-engine-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Store = Path.Combine(Root, "store");
        Context = new EngineContext(Store);
    }

    public string Root { get; }

    public string Store { get; }

    /// <summary>What the operations of a test get: this project's store, with the seams the test set (<c>project.Context with { ... }</c>).</summary>
    public EngineContext Context { get; set; }

    public static bool HasBusybox => File.Exists(BuiltinBusybox.DefaultBinary);

    public static void RequireBusybox() =>
        Skip.IfNot(HasBusybox, "no static busybox at /bin/busybox (package busybox-static): builtin:busybox cannot be made");

    /// <summary>Writes scute.toml (Head + body) into Root/folder and returns its path.</summary>
    public string WriteManifest(string folder, string body, string file = "scute.toml")
    {
        var dir = Path.Combine(Root, folder);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, file);
        File.WriteAllText(path, Head + body);
        return path;
    }

    public BuildResult Build(string manifest, string? name = null, string? store = null) =>
        BuildOperation.Run(store is null ? Context : Context with { StoreRoot = store }, manifest, name, new FixedClock());

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            // Never through a link: a test that links to /usr/share once made this loop chmod 0700 every folder there.
            foreach (var dir in Directory.EnumerateDirectories(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                if (new DirectoryInfo(dir).LinkTarget is null)
                {
                    File.SetUnixFileMode(dir, (UnixFileMode)0b111_000_000);
                }
            }

            Directory.Delete(Root, recursive: true);
        }
    }
}

public sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
