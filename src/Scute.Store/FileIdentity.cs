using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// What tells one version of a store file from another without reading it: its inode, size,
/// modification and change times (nanoseconds). Metadata is replaced by rename, so every write
/// gives a new inode (the new file exists before the old one is freed); an edit in place changes
/// the times.
/// </summary>
/// <remarks>A plain struct, not a record: list's binary also starts --version, and every generated member is code it maps.</remarks>
internal readonly struct FileIdentity(ulong ino, ulong size, long mtimeNs, long ctimeNs)
{
    public ulong Ino { get; } = ino;

    public ulong Size { get; } = size;

    public long MtimeNs { get; } = mtimeNs;

    public long CtimeNs { get; } = ctimeNs;

    public static FileIdentity Of(in Libc.Statx s) =>
        new(s.Ino, s.Size, (s.MtimeSec * 1_000_000_000) + s.MtimeNsec, (s.CtimeSec * 1_000_000_000) + s.CtimeNsec);

    public bool Same(FileIdentity other) =>
        Ino == other.Ino && Size == other.Size && MtimeNs == other.MtimeNs && CtimeNs == other.CtimeNs;
}
