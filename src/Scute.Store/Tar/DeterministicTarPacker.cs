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

    public static void Pack(string sourceDir, Stream output) => Pack(sourceDir, output, overlayUpper: false);

    /// <param name="overlayUpper">
    /// The folder is an overlay upper dir: an opaque folder gets an empty
    /// <see cref="Overlay.OverlayMarks.OpaqueMarker"/> entry right after its own entry.
    /// </param>
    public static void Pack(string sourceDir, Stream output, bool overlayUpper)
    {
        ArgumentNullException.ThrowIfNull(sourceDir);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (var e in TreeWalker.Walk(sourceDir))
        {
            switch (e.Kind)
            {
                case TreeEntryKind.Directory:
                    writer.WriteEntry(NewEntry(TarEntryType.Directory, e));
                    if (overlayUpper && Overlay.OverlayMarks.IsOpaque(e.FullPath))
                    {
                        var marker = new GnuTarEntry(TarEntryType.RegularFile, e.RelativePath + Overlay.OverlayMarks.OpaqueMarker)
                        {
                            Mode = 0, Uid = 0, Gid = 0, UserName = "", GroupName = "",
                            ModificationTime = DateTimeOffset.UnixEpoch, AccessTime = DateTimeOffset.UnixEpoch, ChangeTime = DateTimeOffset.UnixEpoch,
                        };
                        writer.WriteEntry(marker);
                    }

                    break;
                case TreeEntryKind.RegularFile:
                    // Hardlinks become independent regular files: simpler to reproduce and extract.
                    WriteFile(writer, e);
                    break;
                case TreeEntryKind.Symlink:
                    var link = NewEntry(TarEntryType.SymbolicLink, e);
                    link.LinkName = new FileInfo(e.FullPath).LinkTarget
                        ?? throw new IOException($"cannot read symlink {e.FullPath}");
                    writer.WriteEntry(link);
                    break;
                case TreeEntryKind.CharDevice when e.RdevMajor == RootDevice && e.RdevMinor == RootDevice:
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

    private static void WriteFile(TarWriter writer, TreeEntry e)
    {
        var entry = NewEntry(TarEntryType.RegularFile, e);
        using var content = new FileStream(e.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (content.Length != e.Size)
        {
            throw new IOException($"{e.FullPath} changed size while being packed");
        }

        // TarWriter copies a seekable DataStream in chunks: constant memory for any file size.
        entry.DataStream = content;
        writer.WriteEntry(entry);
    }

    private static GnuTarEntry NewEntry(TarEntryType type, TreeEntry e) => new(type, e.RelativePath)
    {
        Mode = (UnixFileMode)e.Permissions,
        Uid = 0,
        Gid = 0,
        UserName = "",
        GroupName = "",
        ModificationTime = DateTimeOffset.UnixEpoch,
        AccessTime = DateTimeOffset.UnixEpoch,
        ChangeTime = DateTimeOffset.UnixEpoch,
    };
}
