namespace Scute.Store;

/// <summary>
/// Where the run records of one store live (one file per running exec/enter, see
/// docs/storage-format.md "Run records"). Preferred: <c>$XDG_RUNTIME_DIR/scute/&lt;store hash&gt;/run</c>,
/// a tmpfs of the user's that is never synced and is emptied at logout, when that folder is
/// ours and private (0700); else the same under <c>/run/user/&lt;uid&gt;</c>; else under
/// <c>/dev/shm/scute-&lt;uid&gt;</c> (a tmpfs too, made private on first use); else
/// <c>&lt;store&gt;/run</c>. Readers look in every candidate.
/// </summary>
public sealed class RunRecordFolders
{
    private RunRecordFolders(string write, IReadOnlyList<string> read)
    {
        WriteRoot = write;
        ReadRoots = read;
    }

    /// <summary>The folder this process writes its records under (one sub-folder per environment).</summary>
    public string WriteRoot { get; }

    /// <summary>Every folder records of this store may be in; <see cref="WriteRoot"/> first.</summary>
    public IReadOnlyList<string> ReadRoots { get; }

    /// <param name="runtimeDir">The value of $XDG_RUNTIME_DIR, if any.</param>
    /// <param name="loginRuntimeDir">
    /// Where logind puts it (<c>/run/user/&lt;uid&gt;</c>, the default): also read, and written when
    /// $XDG_RUNTIME_DIR is unset, so a command started without the variable (cron, su, a service)
    /// and an exec from the desktop session see each other's records.
    /// </param>
    /// <param name="sharedMemoryDir">
    /// Without a runtime folder (no login session): a private folder on the /dev/shm tmpfs
    /// (<c>/dev/shm/scute-&lt;uid&gt;</c>, the default), so an exec's record never touches the
    /// store's disk: after a mass deletion there, ext4 made each new file wait while it skipped
    /// recently deleted inodes, tens of milliseconds per exec.
    /// </param>
    /// <param name="create">Make <paramref name="sharedMemoryDir"/> when it is missing (a writer); readers need not.</param>
    public static RunRecordFolders For(StoreLayout layout, string? runtimeDir, string? loginRuntimeDir = null, string? sharedMemoryDir = null, bool create = false)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var uid = Scute.Core.Interop.Libc.geteuid();
        loginRuntimeDir ??= $"/run/user/{uid}";
        sharedMemoryDir ??= $"/dev/shm/scute-{uid}";
        if (create && Path.IsPathFullyQualified(sharedMemoryDir))
        {
            // Made private (0700 whatever the umask); someone else's folder or a link there fails IsPrivateFolder below.
            _ = Scute.Core.Interop.Libc.mkdir(sharedMemoryDir, 0b111_000_000);
        }

        // The store's path picks its folder: two stores of one user never mix their records.
        var hash = Digest.Compute(System.Text.Encoding.UTF8.GetBytes(layout.Root)).Hex[..16];
        // A plain loop: a LINQ chain here cost every exec a generic virtual method lookup.
        var usable = new List<string>(3);
        foreach (var d in (ReadOnlySpan<string?>)[runtimeDir, loginRuntimeDir, sharedMemoryDir])
        {
            if (d is { Length: > 0 } && Path.IsPathFullyQualified(d) && IsPrivateFolder(d)
                && Path.Combine(Path.TrimEndingDirectorySeparator(d), "scute", hash, "run") is var folder && !usable.Contains(folder))
            {
                usable.Add(folder);
            }
        }

        return usable.Count == 0
            ? new RunRecordFolders(layout.RunDir, [layout.RunDir])
            : new RunRecordFolders(usable[0], [.. usable, layout.RunDir]);
    }

    /// <summary>The folder of one environment's records under <paramref name="root"/>.</summary>
    public static string EnvDir(string root, string envId) => Path.Combine(root, StoreNames.CheckSegment(envId, "environment id"));

    /// <summary>
    /// The record of one environment's user-namespace holder (nsstage.c) for the run folder
    /// <paramref name="root"/>: in <c>holders</c> beside it, so it is never read as a run record.
    /// </summary>
    public static string HolderRecord(string root, string envId) =>
        Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root)) ?? root, "holders", StoreNames.CheckSegment(envId, "environment id"));

    // Someone else's or a shared folder could hold forged records (a destroy refused forever) or hide ours.
    private static bool IsPrivateFolder(string path) =>
        Interop.LStat(Interop.AtFdCwd, path, out var st) == 0
        && (st.Mode & Interop.SIfMt) == Interop.SIfDir
        && st.Uid == (uint)Scute.Core.Interop.Libc.geteuid()
        && (st.Mode & 0b000_111_111) == 0;
}
