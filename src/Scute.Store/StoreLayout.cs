namespace Scute.Store;

/// <summary>Where everything lives under a store root (DESIGN.md section 4). Pure path arithmetic, no I/O.</summary>
public sealed class StoreLayout
{
    public StoreLayout(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        StoreDir = Path.Combine(Root, "store");
        VersionFile = Path.Combine(StoreDir, "version");
        LockFile = Path.Combine(StoreDir, ".lock");
        ObjectsDir = Path.Combine(StoreDir, "objects");
        LayersDir = Path.Combine(StoreDir, "layers");
        MetadataDir = Path.Combine(StoreDir, "metadata");
        ListIndexFile = Path.Combine(StoreDir, "list-index");
        NamesDir = Path.Combine(StoreDir, "names");
        WalDir = Path.Combine(StoreDir, "wal");
        AuditDir = Path.Combine(StoreDir, "audit");
        StagingDir = Path.Combine(StoreDir, "staging");
        TrashDir = Path.Combine(StoreDir, "trash");
        EnvsDir = Path.Combine(Root, "env");
        ImagesDir = Path.Combine(Root, "images");
        RunDir = Path.Combine(Root, "run");
    }

    public string Root { get; }
    public string StoreDir { get; }
    public string VersionFile { get; }
    public string LockFile { get; }
    public string ObjectsDir { get; }
    public string LayersDir { get; }
    public string MetadataDir { get; }

    /// <summary>store/list-index: what list shows of each environment, a cache (<see cref="ListIndex"/>).</summary>
    public string ListIndexFile { get; }

    /// <summary>store/names/&lt;name&gt;: which env_id had that name when last written (a hint, checked on use).</summary>
    public string NamesDir { get; }
    public string WalDir { get; }
    public string AuditDir { get; }
    public string StagingDir { get; }

    /// <summary>store/trash/: trees no command needs any more, removed after the command answered (<see cref="StoreTrash"/>); made when first needed.</summary>
    public string TrashDir { get; }
    public string EnvsDir { get; }
    public string ImagesDir { get; }

    /// <summary>Run records when there is no usable $XDG_RUNTIME_DIR (see <see cref="RunRecordFolders"/>); not made by Open.</summary>
    public string RunDir { get; }

    /// <summary>All folders a fresh store has.</summary>
    public IReadOnlyList<string> AllDirectories =>
        [StoreDir, ObjectsDir, LayersDir, MetadataDir, WalDir, AuditDir, StagingDir, EnvsDir, ImagesDir];

    public string EnvDir(string envId) => Path.Combine(EnvsDir, StoreNames.CheckSegment(envId, "environment id"));

    public string ImageDir(string key) => Path.Combine(ImagesDir, StoreNames.CheckSegment(key, "image key"));

    public string ObjectPath(Digest d) => Path.Combine(ObjectsDir, d.Hex);

    public string LayerPath(Digest d) => Path.Combine(LayersDir, d.Hex);

    public string MetadataPath(string envId) => Path.Combine(MetadataDir, StoreNames.CheckSegment(envId, "environment id"));

    /// <summary>
    /// Where a store file's replacement is written before its rename (the staging folder, made
    /// when missing): a write killed before the rename leaves its temp file there, and staging that
    /// holds anything is what makes the next change run recovery, which empties it.
    /// </summary>
    public string TempFolder()
    {
        Directory.CreateDirectory(StagingDir);
        return StagingDir;
    }

    public string NamePath(string name) => Path.Combine(NamesDir, StoreNames.CheckSegment(name, "environment name"));

    /// <summary>images/&lt;key&gt;/rootfs: the unpacked base image.</summary>
    public string ImageRootfs(string key) => RootfsIn(ImageDir(key));

    /// <summary>images/&lt;key&gt;/base-layer: the digest of the image's Base layer, once it has one.</summary>
    public string ImageBaseLayerFile(string key) => BaseLayerFileIn(ImageDir(key));

    /// <summary>images/&lt;key&gt;/deps: package manager state shared by the environments on this image.</summary>
    public string ImageDepsDir(string key) => Path.Combine(ImageDir(key), "deps");

    /// <summary>The rootfs of an image entry, also while it is assembled in staging.</summary>
    public static string RootfsIn(string imageEntry) => Path.Combine(imageEntry, "rootfs");

    /// <summary>The file holding the tree digest of an image entry's rootfs.</summary>
    public static string DigestFileIn(string imageEntry) => Path.Combine(imageEntry, "digest");

    /// <summary>The file naming an image entry's Base layer.</summary>
    public static string BaseLayerFileIn(string imageEntry) => Path.Combine(imageEntry, "base-layer");
}
