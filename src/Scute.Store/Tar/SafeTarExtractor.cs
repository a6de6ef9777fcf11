using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

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
    private const int ReadBufferSize = 128 * 1024;
    private const uint SymlinkPermissions = 0x1FF; // what Linux reports for every symlink

    public static ExtractResult Extract(Stream tar, string targetDir, ExtractOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(targetDir);
        Directory.CreateDirectory(targetDir);
        options ??= new ExtractOptions();
        using var tree = ConfinedTree.Open(targetDir, options.WalkEachComponent);
        using var run = new Run(options, tree);
        // Buffered below TarReader: it reads each 512-byte header on its own, one syscall apiece unbuffered.
        var source = new PassThroughReadStream(tar, ownsInner: false);
        using var buffered = new BufferedStream(source, ReadBufferSize);
        using var reader = new TarReader(buffered, leaveOpen: true);
        try
        {
            ExtractAll(reader, run, options.ParseAheadAfter);
        }
        catch (EndOfStreamException) when (source.BytesRead == 0)
        {
            // A tree with nothing in it packs to no bytes at all (TarWriter writes no end marker
            // without an entry): the snapshot of an environment with no changes.
        }
        catch (EndOfStreamException ex)
        {
            run.ThrowWriterFailure();
            throw new InvalidDataException("tar stream ends in the middle of an entry", ex);
        }
        catch
        {
            run.ThrowWriterFailure();
            throw;
        }

        run.ApplyDirectoryModes();
        return run.Result with { TreeDigest = run.TreeDigest() };
    }

    /// <summary>
    /// The first entries are parsed on this thread: a small archive is done before a second thread
    /// would have started. Past them, <see cref="ParseAhead"/> parses the rest on its own thread.
    /// </summary>
    private static void ExtractAll(TarReader reader, Run run, int parseAheadAfter)
    {
        var entry = new ParsedEntry();
        for (var parsed = 0; parsed < parseAheadAfter; parsed++)
        {
            if (reader.GetNextEntry(copyData: false) is not { } header)
            {
                return;
            }

            entry.SetStreaming(header);
            entry.ResolvePath(run.RegularFiles);
            run.Extract(entry);
        }

        run.StartWriters();
        using var ahead = new ParseAhead(reader, run.RegularFiles);
        while (ahead.Next() is { } next)
        {
            run.Extract(next);
        }
    }

    /// <summary>State of one extraction: counters, deferred folder modes, files this archive wrote.</summary>
    private sealed class Run : IDisposable
    {
        private readonly ExtractOptions _options;
        private readonly ConfinedTree _tree;
        private readonly DirectoryCache _dirs;
        private readonly StreamedTreeDigest? _digest;
        private readonly IncrementalHash? _content;
        private readonly IExtractionObserver? _observer;

        // Folder modes wait until the end so a 0555 folder can still be filled.
        private readonly Dictionary<string, uint> _directoryModes = new(StringComparer.Ordinal);
        // The regular files this archive wrote; when small files may be made by FileWriters (the target
        // was empty), every other name it made too, the folders made on the way to an entry included,
        // so a name is known to be new (nothing can be there, written or on its way) without asking the disk.
        private readonly WrittenFiles _regularFiles;
        private readonly bool _knowsEveryName;
        private FileWriters? _writers;

        /// <summary>The regular files this archive wrote; the parser keys each entry's path with its salt.</summary>
        public WrittenFiles RegularFiles => _regularFiles;

        // Every path this archive wrote (OCI layers only): an opaque marker keeps them and removes only what lower layers made.
        private readonly HashSet<string>? _written;
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

        public Run(ExtractOptions options, ConfinedTree tree)
        {
            _options = options;
            _tree = tree;
            _content = options.TreeDigest ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
            _observer = options.Observer;
            _written = options.OciWhiteouts ? new(StringComparer.Ordinal) : null;
            var targetWasEmpty = DirectoryEntries.Read(tree.Root, "").Count == 0;
            _digest = StreamedDigest(options, targetWasEmpty);
            _knowsEveryName = targetWasEmpty && options.Writers > 0;
            _regularFiles = new WrittenFiles(everyName: _knowsEveryName);
            _dirs = new DirectoryCache(tree, _knowsEveryName ? BeforeNewFolder : null);
        }

        /// <summary>
        /// The extraction failed: a file a writer failed to make came before the entry that failed
        /// here (it was handed over earlier), and on one thread it would have stopped the extraction
        /// first. Its failure is the one reported.
        /// </summary>
        public void ThrowWriterFailure() => _writers?.DrainForFailure()?.Throw();

        /// <summary>From here on, small files under new names are made by <see cref="FileWriters"/>.</summary>
        public void StartWriters()
        {
            if (_knowsEveryName)
            {
                _writers = new FileWriters(_options.Writers);
            }
        }

        public void Dispose()
        {
            // First: the writers finish what they were handed and stop before anything they use is closed.
            _writers?.Dispose();
            if (_options.FilesByWriters is { } counter)
            {
                counter.Value = _writers?.Written ?? 0;
            }

            _dirs.Dispose();
            _digest?.Dispose();
            _content?.Dispose();
        }

        public Digest? TreeDigest() => _digest?.Finish();

        private static StreamedTreeDigest? StreamedDigest(ExtractOptions options, bool targetWasEmpty)
        {
            if (!options.TreeDigest)
            {
                return null;
            }

            if (options.OciWhiteouts || options.OverlayWhiteouts || options.Include is not null)
            {
                throw new ArgumentException("a tree digest is only computed for plain extractions", nameof(options));
            }

            var digest = new StreamedTreeDigest();
            if (!targetWasEmpty)
            {
                digest.Invalidate(); // what was there before is part of the tree too
            }

            return digest;
        }

        public void Extract(ParsedEntry entry)
        {
            var whiteout = _options.OverlayWhiteouts && entry.EntryType == TarEntryType.CharacterDevice
                && entry.Header is PosixTarEntry { DeviceMajor: 0, DeviceMinor: 0 };
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

            var parts = entry.Parts;
            var key = entry.Key;
            if (parts.Length == 0)
            {
                // "./" is the target itself: keep the caller's folder as it is.
                if (entry.EntryType != TarEntryType.Directory)
                {
                    throw new UnsafeArchiveException(entry.Name, "entry names the target folder itself");
                }

                return;
            }

            if (_options.Include is { } include && !include(key, entry.Length))
            {
                return;
            }

            if (_written is not null && parts[^1].StartsWith(OciWhiteouts.Prefix, StringComparison.Ordinal))
            {
                // A whiteout may remove a cached folder: resolve from the target again afterwards.
                _writers?.Drain();
                _dirs.Reset();
                OciWhiteouts.TryApply(_tree, parts, entry.Name, _written);
                return;
            }

            _written?.Add(key);
            var parent = _dirs.Parent(parts, key, entry.Name);
            var name = parts[^1];
            var id = entry.FileId;
            var isNew = _knowsEveryName && _regularFiles.TryAddName(id);
            if (!isNew || entry.EntryType == TarEntryType.HardLink)
            {
                // What is there may be a file still on its way, or the hardlink's target: it lands first.
                _writers?.Drain();
            }

            if (!IsRegularFile(entry.EntryType) && !isNew)
            {
                // A regular file is added below, which covers what it replaces: one set lookup per file, not
                // two. A new name was never a regular file: nothing to forget.
                _regularFiles.Remove(id);
            }

            if (_options.OciWhiteouts && entry.EntryType != TarEntryType.Directory && ConfinedTree.TypeOf(parent, name, entry.Name) == Interop.SIfDir)
            {
                // A later layer may put a file where a lower one had a folder: the folder goes, contents and all.
                ConfinedRemoval.RemoveTree(parent, name, entry.Name);
                _dirs.ForgetUnder(key);
            }
            if (_options.OverlayWhiteouts && name == Overlay.OverlayMarks.OpaqueMarker && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                Overlay.OverlayMarks.MarkOpaque(ConfinedTree.Fd(parent), entry.Name);
                _regularFiles.Remove(id);
                return;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.CharacterDevice:
                    MakeWhiteout(parent, name, key, entry, Mode(entry));
                    _files++;
                    break;
                case TarEntryType.Directory:
                    MakeDirectory(parent, name, key, entry.Name);
                    _directoryModes[key] = Mode(entry);
                    _digest?.Add(parts, TreeEntryKind.Directory, Mode(entry), 0, []);
                    _observer?.Entry(parts, TreeEntryKind.Directory, Mode(entry), 0, null);
                    _directories++;
                    break;
                case TarEntryType.SymbolicLink:
                    MakeSymlink(parent, name, key, entry);
                    _digest?.Add(parts, TreeEntryKind.Symlink, SymlinkPermissions, 0, TreeDigestBuilder.LinkTargetHash(entry.LinkName));
                    _observer?.Entry(parts, TreeEntryKind.Symlink, SymlinkPermissions, 0, entry.LinkName);
                    _symlinks++;
                    break;
                case TarEntryType.HardLink:
                    MakeHardlink(parent, name, key, entry);
                    _digest?.Invalidate();
                    _observer?.Invalidate();
                    _regularFiles.Add(id);
                    _hardlinks++;
                    break;
                default:
                    _observer?.Entry(parts, TreeEntryKind.RegularFile, Mode(entry), entry.Length, null);
                    if (_writers is not null && isNew && FileWriters.Takes(entry.Length, name, entry.Name))
                    {
                        WriteLater(parent, name, entry, Mode(entry));
                    }
                    else
                    {
                        WriteFile(parent, name, key, entry, Mode(entry), _content);
                    }

                    if (_digest is not null)
                    {
                        Span<byte> hash = stackalloc byte[32];
                        _content!.GetHashAndReset(hash);
                        _digest.Add(parts, TreeEntryKind.RegularFile, Mode(entry), entry.Length, hash);
                    }

                    _regularFiles.Add(id);
                    _files++;
                    break;
            }
        }

        private static bool IsRegularFile(TarEntryType type) =>
            type is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;

        public void ApplyDirectoryModes()
        {
            _writers?.Drain();
            // Deepest first: a parent losing its x bit must not stop us reaching its children.
            foreach (var (key, mode) in _directoryModes.OrderByDescending(p => p.Key.Count(c => c == '/')))
            {
                using var dir = _tree.TryOpenDir(key.Split('/'));
                if (dir is not null && Libc.fchmod(ConfinedTree.Fd(dir), mode) != 0)
                {
                    throw ConfinedTree.Failure(key, "cannot set folder mode");
                }
            }
        }

        private uint Mode(ParsedEntry entry)
        {
            var mode = (uint)entry.Mode & PermissionBits;
            return _options.KeepSetuidBits ? mode : mode & ~SetIdBits;
        }

        // Each Make* tries to create first and only looks at what is there when the name is taken
        // (EEXIST): into a fresh target that is one syscall per entry instead of a statx and a create.
        /// <summary>Clears <paramref name="name"/> for a new entry; a cached folder it was (an empty one) is forgotten.</summary>
        private void Replace(SafeFileHandle parent, string name, string key, string entryName)
        {
            ConfinedTree.RemoveExisting(parent, name, entryName);
            _dirs.ForgetUnder(key);
        }

        private void MakeDirectory(SafeFileHandle parent, string name, string key, string entryName)
        {
            if (Libc.mkdirat(ConfinedTree.Fd(parent), name, 0b111_000_000) == 0)
            {
                return;
            }

            if (Interop.LastError != Interop.EExist)
            {
                throw ConfinedTree.Failure(entryName, "cannot create folder");
            }

            if (ConfinedTree.TypeOf(parent, name, entryName) == Interop.SIfDir)
            {
                return;
            }

            Replace(parent, name, key, entryName);
            if (Libc.mkdirat(ConfinedTree.Fd(parent), name, 0b111_000_000) != 0)
            {
                throw ConfinedTree.Failure(entryName, "cannot create folder");
            }
        }

        private void MakeWhiteout(SafeFileHandle parent, string name, string key, ParsedEntry entry, uint mode)
        {
            // mknod of a 0/0 character device needs no privilege (Linux 5.8+): it is how overlayfs whiteouts are made.
            if (Libc.mknodat(ConfinedTree.Fd(parent), name, Interop.SIfChr | (mode & 0x1FF), 0) == 0)
            {
                return;
            }

            if (Interop.LastError != Interop.EExist)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create whiteout");
            }

            Replace(parent, name, key, entry.Name);
            if (Libc.mknodat(ConfinedTree.Fd(parent), name, Interop.SIfChr | (mode & 0x1FF), 0) != 0)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create whiteout");
            }
        }

        private void MakeSymlink(SafeFileHandle parent, string name, string key, ParsedEntry entry)
        {
            if (string.IsNullOrEmpty(entry.LinkName))
            {
                throw new UnsafeArchiveException(entry.Name, "symlink has an empty target");
            }

            // The target is stored verbatim: it is never followed by this extractor.
            if (Libc.symlinkat(entry.LinkName, ConfinedTree.Fd(parent), name) == 0)
            {
                return;
            }

            if (Interop.LastError != Interop.EExist)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create symlink");
            }

            Replace(parent, name, key, entry.Name);
            if (Libc.symlinkat(entry.LinkName, ConfinedTree.Fd(parent), name) != 0)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create symlink");
            }
        }

        private void MakeHardlink(SafeFileHandle parent, string name, string key, ParsedEntry entry)
        {
            var targetParts = TarPath.Split(entry.LinkName, entry.Name, "hardlink target");
            var targetKey = TarPath.Key(targetParts);
            if (targetParts.Length == 0 || targetKey == key || !_regularFiles.Contains(_regularFiles.Id(targetKey)))
            {
                throw new UnsafeArchiveException(entry.Name, $"hardlink target '{entry.LinkName}' is not a regular file extracted from this archive");
            }

            using var targetParent = _tree.OpenDir(targetParts, targetParts.Length - 1, create: false, entry.Name);
            if (ConfinedTree.TypeOf(targetParent, targetParts[^1], entry.Name) != Interop.SIfReg)
            {
                throw new UnsafeArchiveException(entry.Name, $"hardlink target '{entry.LinkName}' is not a regular file");
            }

            Replace(parent, name, key, entry.Name);
            // Flags 0: linkat never follows a symlink at the source.
            if (Libc.linkat(ConfinedTree.Fd(targetParent), targetParts[^1], ConfinedTree.Fd(parent), name, 0) != 0)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create hardlink");
            }
        }

        private void WriteFile(SafeFileHandle parent, string name, string key, ParsedEntry entry, uint mode, IncrementalHash? content)
        {
            // O_EXCL: never opens what is there, a symlink least of all; EEXIST clears the name and tries once more.
            var createMode = NewFile.CreateMode(mode, out var chmodAfter);
            var fd = Libc.openat(ConfinedTree.Fd(parent), name, NewFile.Flags, createMode);
            if (fd < 0 && Interop.LastError == Interop.EExist)
            {
                Replace(parent, name, key, entry.Name);
                fd = Libc.openat(ConfinedTree.Fd(parent), name, NewFile.Flags, createMode);
            }

            if (fd < 0)
            {
                throw ConfinedTree.Failure(entry.Name, "cannot create file");
            }

            try
            {
                using var file = new SafeFileHandle(fd, ownsHandle: true);
                CopyData(entry, file, content, _observer);
                if (chmodAfter && Libc.fchmod(fd, mode) != 0)
                {
                    throw ConfinedTree.Failure(entry.Name, "cannot set file mode");
                }
            }
            catch
            {
                // Do not leave a partial file behind a failed entry.
                _ = Libc.unlinkat(ConfinedTree.Fd(parent), name, 0);
                throw;
            }
        }

        /// <summary>
        /// A small file under a new name: its data is read and hashed here, in archive order, and the
        /// file is made by a writer thread. A short entry fails here, as <see cref="CopyData"/> does,
        /// and nothing is made of it.
        /// </summary>
        private void WriteLater(SafeFileHandle parent, string name, ParsedEntry entry, uint mode)
        {
            var stream = entry.DataStream;
            var length = stream is null ? 0 : (int)entry.Length;
            var data = _writers!.Reserve(parent, length, name, entry.Name);
            var read = 0;
            int n;
            while (read < length && (n = stream!.Read(data[read..])) > 0)
            {
                read += n;
            }

            if (read != length)
            {
                throw Truncated(entry, read);
            }

            if (length > 0)
            {
                _content?.AppendData(data);
                _observer?.Content(data);
            }

            var createMode = NewFile.CreateMode(mode, out var chmodAfter);
            _writers.Commit(parent, createMode, chmodAfter, mode);
        }

        private static InvalidDataException Truncated(ParsedEntry entry, long read) =>
            new($"tar entry '{entry.Name}' is truncated: {read} of {entry.Length} bytes");

        /// <summary>
        /// Called before the folders on the way to an entry are looked up or made: they are names this
        /// archive makes too, and if one is a file it wrote (refused as a folder), that file lands first.
        /// </summary>
        private void BeforeNewFolder(string[] parts, int count)
        {
            for (var i = 1; i <= count; i++)
            {
                var id = _regularFiles.Id(string.Join('/', parts, 0, i));
                if (!_regularFiles.TryAddName(id) && _regularFiles.Contains(id))
                {
                    _writers?.Drain();
                }
            }
        }

        private static void CopyData(ParsedEntry entry, SafeFileHandle file, IncrementalHash? content, IExtractionObserver? observer)
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
                    NewFile.WriteAll(ConfinedTree.Fd(file), buffer.AsSpan(0, n), written, entry.Name);
                    content?.AppendData(buffer, 0, n);
                    observer?.Content(buffer.AsSpan(0, n));
                    written += n;
                }

                if (written != entry.Length)
                {
                    throw Truncated(entry, written);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
