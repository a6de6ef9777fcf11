using System.Text.Json;
using Scute.Store.Wal;

namespace Scute.Store;

/// <summary>Entry point to one store root: opens or creates it, checks its format, hands out the sub-stores.</summary>
public sealed class ScuteStore
{
    public const int FormatVersion = 1;

    private ScuteStore(StoreLayout layout, StoreOptions? options)
    {
        Layout = layout;
        Options = options ?? StoreOptions.Default;
        Objects = new ObjectStore(layout);
        Layers = new LayerStore(layout);
        Metadata = new MetadataStore(layout);
        Trash = new StoreTrash(layout);
        Wal = new WriteAheadLog(layout, Trash, Options.Warn);
    }

    public StoreLayout Layout { get; }

    /// <summary>The options it was opened with: its locks' timeout and waiting line, the WAL's warnings.</summary>
    public StoreOptions Options { get; }

    public ObjectStore Objects { get; }

    public LayerStore Layers { get; }

    public MetadataStore Metadata { get; }

    public WriteAheadLog Wal { get; }

    public StoreTrash Trash { get; }

    /// <summary>Opens an existing store: checks its format version and creates nothing.</summary>
    /// <param name="options">The command line's store options; null is <see cref="StoreOptions.Default"/>.</param>
    public static ScuteStore Open(string root, StoreOptions? options = null)
    {
        var layout = new StoreLayout(root);
        if (!File.Exists(layout.VersionFile))
        {
            throw new StoreException($"no scute store at {layout.Root} (store/version is missing)");
        }

        CheckVersion(layout);
        return new ScuteStore(layout, options);
    }

    /// <summary>For build and pull: makes the store (and any folder it misses) when needed, then opens it.</summary>
    /// <param name="options">The command line's store options; null is <see cref="StoreOptions.Default"/>.</param>
    public static ScuteStore OpenOrCreate(string root, StoreOptions? options = null)
    {
        var layout = new StoreLayout(root);
        if (!File.Exists(layout.VersionFile))
        {
            CreateDirectories(layout);
            var version = JsonSerializer.SerializeToUtf8Bytes(
                new StoreVersionFile { FormatVersion = FormatVersion }, StoreJsonContext.Default.StoreVersionFile);
            AtomicFile.WriteAllBytes(layout.VersionFile, version);
        }

        CheckVersion(layout);
        CreateDirectories(layout);
        return new ScuteStore(layout, options);
    }

    /// <summary>
    /// For a command that changes the store: takes the exclusive lock (without a timeout,
    /// <see cref="StoreOptions.LockTimeout"/> of <see cref="Options"/> applies), makes any store folder that is missing,
    /// and rolls back whatever a crashed command left in the WAL or staging
    /// (<see cref="WriteAheadLog.RecoverIfNeeded"/>).
    /// </summary>
    public StoreLock LockForChange(TimeSpan? timeout = null)
    {
        var held = StoreLock.Acquire(Layout.LockFile, timeout ?? Options.LockTimeout, Options.LockWaiting);
        try
        {
            CreateDirectories(Layout);
            Wal.RecoverIfNeeded();
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For a command that only reads (exec/enter while it prepares): the shared lock, which no
    /// changing command holds at the same time. Recovers nothing: the caller checks
    /// <see cref="WriteAheadLog.NeedsRecovery"/> and takes <see cref="LockForChange"/> instead.
    /// Without a timeout, <see cref="StoreOptions.LockTimeout"/> of <see cref="Options"/> applies.
    /// </summary>
    public StoreLock LockShared(TimeSpan? timeout = null) => StoreLock.Acquire(Layout.LockFile, timeout ?? Options.LockTimeout, Options.LockWaiting, shared: true);

    /// <summary>The format version recorded in store/version (for migrate).</summary>
    public static int ReadFormatVersion(string root) => ReadVersion(new StoreLayout(root));

    /// <summary>A fresh folder on the store's filesystem, so its contents can later be renamed into place.</summary>
    public string CreateStagingDir()
    {
        var dir = Path.Combine(Layout.StagingDir, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void CreateDirectories(StoreLayout layout)
    {
        try
        {
            foreach (var dir in layout.AllDirectories)
            {
                Directory.CreateDirectory(dir);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot create store at {layout.Root}: {ex.Message}", ex);
        }
    }

    private static void CheckVersion(StoreLayout layout)
    {
        var found = ReadVersion(layout);
        if (found > FormatVersion)
        {
            throw new StoreException(
                $"store at {layout.Root} has format version {found}, newer than this scute supports ({FormatVersion}); use a newer scute");
        }

        if (found != FormatVersion)
        {
            throw new StoreException(
                $"store at {layout.Root} has format version {found}; this scute supports format version {FormatVersion} (run scute migrate)");
        }
    }

    private static int ReadVersion(StoreLayout layout)
    {
        // Every command reads it: without a FileStream (File.ReadAllBytes still reports a missing file).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256);
        byte[] bytes;
        try
        {
            bytes = SmallFile.TryRead(layout.VersionFile, ref buffer, out var length) ? buffer[..length] : File.ReadAllBytes(layout.VersionFile);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        if (StoreVersionReader.TryRead(bytes) is { } version)
        {
            return version;
        }

        StoreVersionFile? file;
        try
        {
            file = JsonSerializer.Deserialize(bytes, StoreJsonContext.Default.StoreVersionFile);
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptionException(layout.VersionFile, $"unreadable store version: {ex.Message}", ex);
        }

        return file?.FormatVersion ?? throw new StoreCorruptionException(layout.VersionFile, "empty store version");
    }
}
