using System.Buffers;
using System.Formats.Tar;
using Microsoft.Win32.SafeHandles;

namespace Scute.Store.Tar;

/// <summary>
/// Extracts untrusted tars so nothing lands outside the target: no absolute
/// names, no "..", no writing through a symlink (archive-made or pre-existing),
/// no hardlinks to anything but a regular file this archive already wrote, no
/// device nodes or fifos. Entries are read with TarReader but written by us
/// through <see cref="ConfinedTree"/>. Owners are ignored; contents stream.
/// OCI whiteouts are interpreted only with <see cref="ExtractOptions.OciWhiteouts"/>
/// (see <see cref="OciWhiteouts"/>); otherwise ".wh." files are extracted as they are.
/// </summary>
public static class SafeTarExtractor
{
    private const uint SetIdBits = 0xC00; // 04000 | 02000
    private const uint PermissionBits = 0xFFF;

    public static ExtractResult Extract(Stream tar, string targetDir, ExtractOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(targetDir);
        Directory.CreateDirectory(targetDir);
        var run = new Run(options ?? new ExtractOptions());
        using var tree = ConfinedTree.Open(targetDir);
        using var reader = new TarReader(new PassThroughReadStream(tar, ownsInner: false), leaveOpen: true);
        try
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                run.Extract(tree, entry);
            }
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("tar stream ends in the middle of an entry", ex);
        }

        run.ApplyDirectoryModes(tree);
        return run.Result;
    }

    /// <summary>State of one extraction: counters, deferred folder modes, files this archive wrote.</summary>
    private sealed class Run(ExtractOptions options)
    {
        // Folder modes wait until the end so a 0555 folder can still be filled.
        private readonly Dictionary<string, uint> _directoryModes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _regularFiles = new(StringComparer.Ordinal);

        // Every path this archive wrote: an opaque marker keeps them and removes only what lower layers made.
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);
        private long _files;
        private long _directories;
        private long _symlinks;
        private long _hardlinks;
        private long _skipped;

        public ExtractResult Result => new()
        {
            Files = _files,
            Directories = _directories,
            Symlinks = _symlinks,
            Hardlinks = _hardlinks,
            SkippedDevices = _skipped,
        };

        public void Extract(ConfinedTree tree, TarEntry entry)
        {
            var whiteout = options.OverlayWhiteouts && entry.EntryType == TarEntryType.CharacterDevice
                && entry is PosixTarEntry { DeviceMajor: 0, DeviceMinor: 0 };
            switch (entry.EntryType)
            {
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo when !whiteout:
                    _skipped++;
                    return;
                case TarEntryType.CharacterDevice:
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes
                    or TarEntryType.LongLink or TarEntryType.LongPath:
                    return;
                case TarEntryType.Directory or TarEntryType.RegularFile or TarEntryType.V7RegularFile
                    or TarEntryType.ContiguousFile or TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    break;
                default:
                    throw new UnsafeArchiveException(entry.Name, $"unsupported entry type {entry.EntryType}");
            }

            var parts = TarPath.Split(entry.Name, entry.Name, "name");
            var key = TarPath.Key(parts);
            if (parts.Length == 0)
            {
                // "./" is the target itself: keep the caller's folder as it is.
                if (entry.EntryType != TarEntryType.Directory)
                {
                    throw new UnsafeArchiveException(entry.Name, "entry names the target folder itself");
                }

                return;
            }

            if (options.Include is { } include && !include(key, entry.Length))
            {
                return;
            }

            if (options.OciWhiteouts && OciWhiteouts.TryApply(tree, parts, entry.Name, _written))
            {
                return;
            }

            _written.Add(key);
            using var parent = tree.OpenDir(parts, parts.Length - 1, create: true, entry.Name);
            var name = parts[^1];
            _regularFiles.Remove(key);
            if (options.OciWhiteouts && entry.EntryType != TarEntryType.Directory && ConfinedTree.TypeOf(parent, name, entry.Name) == Interop.SIfDir)
            {
                // A later layer may put a file where a lower one had a folder: the folder goes, contents and all.
                ConfinedRemoval.RemoveTree(parent, name, entry.Name);
            }
            if (options.OverlayWhiteouts && name == Overlay.OverlayMarks.OpaqueMarker && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                Overlay.OverlayMarks.MarkOpaque(ConfinedTree.Fd(parent), entry.Name);
                return;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.CharacterDevice:
                    MakeWhiteout(parent, name, entry, Mode(entry));
                    _files++;
                    break;
                case TarEntryType.Directory:
                    MakeDirectory(parent, name, entry.Name);
                    _directoryModes[key] = Mode(entry);
                    _directories++;
                    break;
                case TarEntryType.SymbolicLink:
                    MakeSymlink(parent, name, entry);
                    _symlinks++;
                    break;
                case TarEntryType.HardLink:
                    MakeHardlink(tree, parent, name, key, entry);
                    _regularFiles.Add(key);
                    _hardlinks++;
                    break;
                default:
                    WriteFile(parent, name, entry, Mode(entry));
                    _regularFiles.Add(key);
                    _files++;
                    break;
            }
        }

        public void ApplyDirectoryModes(ConfinedTree tree)
        {
            // Deepest first: a parent losing its x bit must not stop us reaching its children.
            foreach (var (key, mode) in _directoryModes.OrderByDescending(p => p.Key.Count(c => c == '/')))
            {
                using var dir = tree.TryOpenDir(key.Split('/'));
                if (dir is not null && Interop.FChmod(ConfinedTree.Fd(dir), mode) != 0)
                {
                    throw ConfinedTree.Failure(key, "cannot set folder mode");
                }
            }
        }

        private uint Mode(TarEntry entry)
        {
            var mode = (uint)entry.Mode & PermissionBits;
            return options.KeepSetuidBits ? mode : mode & ~SetIdBits;
        }

        private static void MakeDirectory(SafeFileHandle parent, string name, string entryName)
        {
            if (ConfinedTree.TypeOf(parent, name, entryName) == Interop.SIfDir)
            {
                return;
            }

            ConfinedTree.RemoveExisting(parent, name, entryName);
            if (Interop.MkdirAt(ConfinedTree.Fd(parent), name, 0b111_000_000) != 0)
            {
                throw ConfinedTree.Failure(entryName, "cannot create folder");
            }
        }

        private static void MakeWhiteout(SafeFileHandle parent, string name, TarEntry entry, uint mode)
        {
            ConfinedTree.RemoveExisting(parent, name, entry.Name);
            // mknod of a 0/0 character device needs no privilege (Linux 5.8+): it is how overlayfs whiteouts are made.
            if (Interop.MknodAt(ConfinedTree.Fd(parent), name, Interop.SIfChr | (mode & 0x1FF), 0) != 0)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create whiteout");
            }
        }

        private static void MakeSymlink(SafeFileHandle parent, string name, TarEntry entry)
        {
            if (string.IsNullOrEmpty(entry.LinkName))
            {
                throw new UnsafeArchiveException(entry.Name, "symlink has an empty target");
            }

            // The target is stored verbatim: it is never followed by this extractor.
            ConfinedTree.RemoveExisting(parent, name, entry.Name);
            if (Interop.SymlinkAt(entry.LinkName, ConfinedTree.Fd(parent), name) != 0)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create symlink");
            }
        }

        private void MakeHardlink(ConfinedTree tree, SafeFileHandle parent, string name, string key, TarEntry entry)
        {
            var targetParts = TarPath.Split(entry.LinkName, entry.Name, "hardlink target");
            var targetKey = TarPath.Key(targetParts);
            if (targetParts.Length == 0 || targetKey == key || !_regularFiles.Contains(targetKey))
            {
                throw new UnsafeArchiveException(entry.Name, $"hardlink target '{entry.LinkName}' is not a regular file extracted from this archive");
            }

            using var targetParent = tree.OpenDir(targetParts, targetParts.Length - 1, create: false, entry.Name);
            if (ConfinedTree.TypeOf(targetParent, targetParts[^1], entry.Name) != Interop.SIfReg)
            {
                throw new UnsafeArchiveException(entry.Name, $"hardlink target '{entry.LinkName}' is not a regular file");
            }

            ConfinedTree.RemoveExisting(parent, name, entry.Name);
            // Flags 0: linkat never follows a symlink at the source.
            if (Interop.LinkAt(ConfinedTree.Fd(targetParent), targetParts[^1], ConfinedTree.Fd(parent), name, 0) != 0)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create hardlink");
            }
        }

        private static void WriteFile(SafeFileHandle parent, string name, TarEntry entry, uint mode)
        {
            ConfinedTree.RemoveExisting(parent, name, entry.Name);
            var fd = Interop.OpenAt(
                ConfinedTree.Fd(parent), name,
                Interop.OWrOnly | Interop.OCreat | Interop.OExcl | Interop.ONoFollow | Interop.OCloExec, 0b110_000_000);
            if (fd < 0)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create file");
            }

            try
            {
                using var file = new SafeFileHandle(fd, ownsHandle: true);
                CopyData(entry, file);
                if (Interop.FChmod(fd, mode) != 0)
                {
                    throw ConfinedTree.Failure(entry.Name, "cannot set file mode");
                }
            }
            catch
            {
                // Do not leave a partial file behind a failed entry.
                _ = Interop.UnlinkAt(ConfinedTree.Fd(parent), name, 0);
                throw;
            }
        }

        private static void CopyData(TarEntry entry, SafeFileHandle file)
        {
            var data = entry.DataStream;
            if (data is null || entry.Length == 0)
            {
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
            try
            {
                long written = 0;
                int n;
                while (written < entry.Length && (n = data.Read(buffer, 0, (int)Math.Min(buffer.Length, entry.Length - written))) > 0)
                {
                    RandomAccess.Write(file, buffer.AsSpan(0, n), written);
                    written += n;
                }

                if (written != entry.Length)
                {
                    throw new InvalidDataException($"tar entry '{entry.Name}' is truncated: {written} of {entry.Length} bytes");
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
