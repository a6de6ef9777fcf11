using System.Formats.Tar;

namespace Scute.Store.Tar;

/// <summary>
/// Packs a folder into a tar whose bytes depend only on the tree's names,
/// permissions, contents and link targets: same tree, same bytes, on any
/// machine at any time. Entries follow <see cref="TreeWalker"/>'s ordinal order
/// and are GNU-format headers we build ourselves (GNU long-name entries when a
/// name exceeds 100 bytes; no PAX, whose headers embed the process id and times).
/// </summary>
public static class DeterministicTarPacker
{
    private const uint RootDevice = 0;
    private const uint SetIdBits = 0xC00; // 04000 | 02000

    public static void Pack(string sourceDir, Stream output) => Pack(sourceDir, output, overlayUpper: false);

    /// <param name="overlayUpper">
    /// The folder is an overlay upper dir: an opaque folder gets an empty
    /// <see cref="Overlay.OverlayMarks.OpaqueMarker"/> entry right after its own entry.
    /// </param>
    public static void Pack(string sourceDir, Stream output, bool overlayUpper) => Pack(sourceDir, output, overlayUpper, beforeOpen: null);

    /// <summary>
    /// Packs a folder as <see cref="SafeTarExtractor"/> (default options) will unpack it: without
    /// setuid/setgid bits (it clears them) and without 0/0 character devices (it skips them). These
    /// are then the very bytes this packer makes of the unpacked tree, so that tree's tar need not be
    /// made again; for a folder with neither, they are the bytes of <see cref="Pack(string, Stream)"/>.
    /// </summary>
    public static void PackAsExtracted(string sourceDir, Stream output) => Pack(sourceDir, output, overlayUpper: false, beforeOpen: null, asExtracted: true);

    /// <param name="beforeOpen">Test seam: runs between listing a folder and opening each of its entries.</param>
    internal static void Pack(string sourceDir, Stream output, bool overlayUpper, Action<string>? beforeOpen, bool asExtracted = false)
    {
        ArgumentNullException.ThrowIfNull(sourceDir);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        using var walk = TreeWalker.Open(sourceDir, new TreeWalkOptions { OpenFiles = true, BeforeOpen = beforeOpen });
        while (walk.MoveNext())
        {
            var e = walk.Current;
            if (asExtracted)
            {
                e = e with { Permissions = e.Permissions & ~SetIdBits };
            }

            switch (e.Kind)
            {
                case TreeEntryKind.Directory:
                    writer.WriteEntry(NewEntry(TarEntryType.Directory, e));
                    if (overlayUpper && Overlay.OverlayMarks.IsOpaque(walk.Directory))
                    {
                        var marker = Entry(TarEntryType.RegularFile, e.RelativePath + Overlay.OverlayMarks.OpaqueMarker, 0);
                        writer.WriteEntry(marker);
                    }

                    break;
                case TreeEntryKind.RegularFile:
                    // Hardlinks become independent regular files: simpler to reproduce and extract.
                    var file = NewEntry(TarEntryType.RegularFile, e);
                    using (var content = new OpenedFileStream(walk.File, e.Size, e.RelativePath))
                    {
                        // TarWriter copies a seekable DataStream in chunks: constant memory for any file size.
                        file.DataStream = content;
                        writer.WriteEntry(file);
                    }

                    break;
                case TreeEntryKind.Symlink:
                    var link = NewEntry(TarEntryType.SymbolicLink, e);
                    link.LinkName = e.LinkTarget!;
                    writer.WriteEntry(link);
                    break;
                case TreeEntryKind.CharDevice when e.RdevMajor == RootDevice && e.RdevMinor == RootDevice && !asExtracted:
                    // 0/0 character devices are overlayfs whiteouts and must survive a snapshot.
                    var device = NewEntry(TarEntryType.CharacterDevice, e);
                    device.DeviceMajor = 0;
                    device.DeviceMinor = 0;
                    writer.WriteEntry(device);
                    break;
                default:
                    // Sockets, fifos and real devices have no meaning in a layer.
                    break;
            }
        }
    }

    private static GnuTarEntry NewEntry(TarEntryType type, TreeEntry e) => Entry(type, e.RelativePath, e.Permissions);

    /// <summary>
    /// A header of this packer's tars: the name, type and permission bits, and nothing of the
    /// machine or the time (owner 0/0 without names, times at the epoch). Every writer of bytes
    /// that must equal the packer's (<see cref="StreamedTarPack"/>, the OCI whiteouts) makes its
    /// headers here.
    /// </summary>
    internal static GnuTarEntry Entry(TarEntryType type, string name, uint permissions) => new(type, name)
    {
        Mode = (UnixFileMode)permissions,
        Uid = 0,
        Gid = 0,
        UserName = "",
        GroupName = "",
        ModificationTime = DateTimeOffset.UnixEpoch,
        AccessTime = DateTimeOffset.UnixEpoch,
        ChangeTime = DateTimeOffset.UnixEpoch,
    };
}

