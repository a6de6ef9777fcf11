using System.Formats.Tar;

namespace Scute.Store.Tar;

/// <summary>
/// Writes, while an archive is extracted into an empty folder, the bytes
/// <see cref="DeterministicTarPacker.Pack(string, Stream)"/> will make of the result, so the result
/// need not be read and packed again. Headers come from a <see cref="TarWriter"/> set up like the
/// packer's and given the same fields the packer will read back from the disk; only the data is
/// streamed past it.
/// <para>
/// The bytes are only used when <see cref="Valid"/>, and that must be exact: the layer made of them
/// stands for the rootfs, and its digest must be the packer's. So every way the tree on disk could
/// differ from the entries seen turns it off: an order other than the walk's, names written twice,
/// hardlinks (the packer writes them as separate files), special mode bits an unprivileged chmod may
/// not keep (what the walk reads back is then not what was asked), a symlink target with a NUL
/// (symlinkat stops there), and folders or files the packer could not open (it would fail where
/// this succeeds). The extractor clears setuid/setgid bits before they reach here: what is seen is
/// what is set.
/// </para>
/// </summary>
internal sealed class StreamedTarPack : IExtractionObserver, IDisposable
{
    private const uint SymlinkPermissions = 0x1FF;
    private const uint FolderSpecialBits = 0xC00;
    private const uint FileSpecialBits = 0xE00;
    private const uint OwnerReadSearch = 0x140; // 0500
    private const uint OwnerRead = 0x100; // 0400
    private const int BlockSize = 512;
    private static readonly byte[] Zeros = new byte[BlockSize];

    private readonly Stream _output;
    private readonly MemoryStream _headers = new();
    private readonly TarWriter _writer;
    private readonly WalkOrderCheck _order = new();
    private long _remaining;
    private int _padding;

    /// <param name="output">Receives the packer's bytes while <see cref="Valid"/>; nothing more once it is not.</param>
    public StreamedTarPack(Stream output)
    {
        _output = output;
        _writer = new TarWriter(_headers, TarEntryFormat.Gnu, leaveOpen: true);
    }

    public bool Valid { get; private set; } = true;

    public void Invalidate() => Valid = false;

    public void Entry(string[] parts, TreeEntryKind kind, uint permissions, long size, string? linkTarget)
    {
        if (!Valid)
        {
            return;
        }

        if (_remaining != 0 || !Packable(kind, permissions, linkTarget) || !_order.Accept(parts, kind == TreeEntryKind.Directory, out var path))
        {
            Valid = false;
            return;
        }

        var entry = kind switch
        {
            TreeEntryKind.Directory => DeterministicTarPacker.Entry(TarEntryType.Directory, path, permissions),
            TreeEntryKind.Symlink => DeterministicTarPacker.Entry(TarEntryType.SymbolicLink, path, permissions),
            _ => DeterministicTarPacker.Entry(TarEntryType.RegularFile, path, permissions),
        };
        if (kind == TreeEntryKind.Symlink)
        {
            entry.LinkName = linkTarget!;
        }

        _padding = (int)((BlockSize - (size % BlockSize)) % BlockSize);
        if (kind == TreeEntryKind.RegularFile)
        {
            // The writer sizes the entry by the stream's length and copies what it reads (nothing):
            // it writes the header(s) and then the padding that follows `size` bytes of data.
            entry.DataStream = new LengthOnlyStream(size);
        }

        _headers.SetLength(0);
        _writer.WriteEntry(entry);
        var headers = (int)_headers.Length - (kind == TreeEntryKind.RegularFile ? _padding : 0);
        _output.Write(_headers.GetBuffer(), 0, headers);
        _remaining = kind == TreeEntryKind.RegularFile ? size : 0;
        EndOfData();
    }

    public void Content(ReadOnlySpan<byte> data)
    {
        if (!Valid)
        {
            return;
        }

        if (data.Length > _remaining)
        {
            Valid = false;
            return;
        }

        _output.Write(data);
        _remaining -= data.Length;
        EndOfData();
    }

    /// <summary>Writes the end of the archive, as the packer's writer does when it is disposed.</summary>
    public void Finish()
    {
        if (_remaining != 0)
        {
            Valid = false;
        }

        _headers.SetLength(0);
        _writer.Dispose();
        if (Valid)
        {
            _output.Write(_headers.GetBuffer(), 0, (int)_headers.Length);
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _headers.Dispose();
    }

    private static bool Packable(TreeEntryKind kind, uint permissions, string? linkTarget) => kind switch
    {
        TreeEntryKind.Directory => (permissions & FolderSpecialBits) == 0 && (permissions & OwnerReadSearch) == OwnerReadSearch,
        TreeEntryKind.RegularFile => (permissions & FileSpecialBits) == 0 && (permissions & OwnerRead) == OwnerRead,
        TreeEntryKind.Symlink => permissions == SymlinkPermissions && !string.IsNullOrEmpty(linkTarget) && !linkTarget.Contains('\0', StringComparison.Ordinal),
        _ => false,
    };

    private void EndOfData()
    {
        if (_remaining == 0 && _padding != 0)
        {
            _output.Write(Zeros, 0, _padding);
            _padding = 0;
        }
    }

    /// <summary>A seekable stream of a given length that reads as empty: lets a TarWriter size an entry whose data it never sees.</summary>
    private sealed class LengthOnlyStream(long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override int Read(Span<byte> buffer) => 0;

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
