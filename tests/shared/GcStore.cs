using System.Text;
using Scute.Store;

namespace Scute.Tests.Shared;

/// <summary>A store filled by hand: objects, layer chains, images, env folders, metadata in any state.</summary>
public sealed class GcStore : IDisposable
{
    public GcStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "scute-gc-test-" + Guid.NewGuid().ToString("N"));
        Store = ScuteStore.OpenOrCreate(Root);
    }

    public string Root { get; }

    public ScuteStore Store { get; }

    public StoreLayout Layout => Store.Layout;

    public Digest Object(string content) => Store.Objects.Put(new MemoryStream(Encoding.UTF8.GetBytes(content)));

    public Digest Layer(string content, Digest? parent = null, LayerKind kind = LayerKind.Dependency) =>
        Store.Layers.Put(new LayerDescription { Kind = kind, Parent = parent, TarDigest = Object(content) });

    public string Image(string key, Digest? baseLayer)
    {
        var dir = Layout.ImageDir(key);
        Directory.CreateDirectory(Path.Combine(StoreLayout.RootfsIn(dir), "bin"));
        File.WriteAllText(StoreLayout.DigestFileIn(dir), Digest.Compute(Encoding.UTF8.GetBytes(key)).ToString());
        if (baseLayer is { } b)
        {
            File.WriteAllText(StoreLayout.BaseLayerFileIn(dir), b.ToString());
        }

        return dir;
    }

    public string EnvFolder(string envId)
    {
        var dir = Layout.EnvDir(envId);
        Directory.CreateDirectory(Path.Combine(dir, "upper", "home"));
        Directory.CreateDirectory(Path.Combine(dir, "work"));
        File.WriteAllText(Path.Combine(dir, "upper", "home", "notes"), "work");
        return dir;
    }

    public EnvironmentMetadata Environment(string envId, EnvState state, string imageKey, params Digest[] layers)
    {
        EnvFolder(envId);
        var m = new EnvironmentMetadata
        {
            EnvId = envId,
            ShortId = envId[..Math.Min(12, envId.Length)],
            State = state,
            ManifestPath = "/nowhere/scute.toml",
            BaseReference = "builtin:busybox",
            BaseDigest = Digest.Compute(Encoding.UTF8.GetBytes(imageKey)),
            ImageKey = imageKey,
            Backend = "mock",
            Layers = layers,
            ManifestJson = "{}",
            SecurityJson = "{}",
            CreatedAt = CreatedAt,
        };
        Store.Metadata.Put(m);
        return m;
    }

    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
