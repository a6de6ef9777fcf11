namespace Scute.Store.Tar;

public sealed record ExtractOptions
{
    /// <summary>
    /// Keep setuid/setgid bits (04000/02000). Off by default: they are only
    /// harmless where no_new_privileges makes them mean nothing.
    /// </summary>
    public bool KeepSetuidBits { get; init; }

    /// <summary>
    /// The target is an overlay upper dir (restore of a snapshot): 0/0 character devices are
    /// made as whiteouts and <see cref="Overlay.OverlayMarks.OpaqueMarker"/> files mark their
    /// folder opaque instead of being written. Off for images.
    /// </summary>
    public bool OverlayWhiteouts { get; init; }

    /// <summary>
    /// The archive is an OCI image layer applied over the layers below it: a ".wh.&lt;name&gt;" entry
    /// deletes that name, ".wh..wh..opq" empties its folder of what lower layers put there, and
    /// an entry may replace a non-empty folder. Neither marker is written.
    /// </summary>
    public bool OciWhiteouts { get; init; }

    /// <summary>
    /// Which entries to write, by relative path and size; the rest are read past. Null writes
    /// everything. Lets a caller take only what it needs out of a large archive.
    /// </summary>
    public Func<string, long, bool>? Include { get; init; }

    /// <summary>
    /// Also compute the <see cref="Tar.TreeDigest"/> of the result while writing it, for a target
    /// that starts empty (<see cref="ExtractResult.TreeDigest"/>): saves reading the whole tree
    /// again. Only for plain extractions (no whiteouts, no <see cref="Include"/>).
    /// </summary>
    public bool TreeDigest { get; init; }

    /// <summary>
    /// Told of every entry written, and of file contents as they are written: lets a caller
    /// produce something of the extraction in the same pass (<see cref="StreamedTarPack"/>).
    /// Only for plain extractions, like <see cref="TreeDigest"/>.
    /// </summary>
    internal IExtractionObserver? Observer { get; init; }

    /// <summary>
    /// Entries parsed on the caller's thread before a second thread parses ahead (<see cref="ParseAhead"/>).
    /// Test seam: 0 parses ahead from the first entry, <see cref="int.MaxValue"/> never.
    /// </summary>
    internal int ParseAheadAfter { get; init; } = 64;

    /// <summary>
    /// Threads that make small files while the archive is read on (<see cref="FileWriters"/>), from
    /// where <see cref="ParseAheadAfter"/> starts; 0 makes every file on the extracting thread. Only
    /// into a target that starts empty. Default: one per core, at most 4; none on one core.
    /// </summary>
    internal int Writers { get; init; } = DefaultWriters;

    /// <summary>Test seam: told how many files the writer threads made, when the extraction ends.</summary>
    internal System.Runtime.CompilerServices.StrongBox<long>? FilesByWriters { get; init; }

    private static int DefaultWriters => Environment.ProcessorCount < 2 ? 0 : Math.Min(Environment.ProcessorCount, 4);

    /// <summary>Test seam: resolve paths one component at a time, as on a kernel without openat2 (before 5.6).</summary>
    internal bool WalkEachComponent { get; init; }
}

/// <summary>What an extraction created, and what it deliberately skipped.</summary>
public sealed record ExtractResult
{
    public long Files { get; init; }

    public long Directories { get; init; }

    public long Symlinks { get; init; }

    public long Hardlinks { get; init; }

    /// <summary>Character and block devices and fifos: never created.</summary>
    public long SkippedDevices { get; init; }

    /// <summary>
    /// With <see cref="ExtractOptions.TreeDigest"/>: the tree's digest, or null when the archive did not
    /// list the tree in walk order (or the target was not empty) and the caller must walk the result.
    /// </summary>
    public Digest? TreeDigest { get; init; }
}
