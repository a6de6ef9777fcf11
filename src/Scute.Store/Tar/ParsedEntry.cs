using System.Formats.Tar;
using System.Runtime.ExceptionServices;

namespace Scute.Store.Tar;

/// <summary>
/// One archive entry as the extracting thread sees it: the header TarReader parsed, and its data,
/// either already read into the <see cref="ParseAhead"/> ring (small entries) or TarReader's own
/// stream (large ones, read by the extracting thread while the parser waits). The property names
/// are TarEntry's, so the extractor reads an entry the same way whichever thread parsed it.
/// An instance is a slot, reused for later entries once the extracting thread is done with it.
/// </summary>
internal sealed class ParsedEntry
{
    private readonly SegmentReadStream _held = new();

    private string[] _parts = [];
    private ExceptionDispatchInfo? _pathFailure;

    public TarEntry Header { get; private set; } = null!;

    public TarEntryType EntryType => Header.EntryType;

    public string Name => Header.Name;

    public long Length => Header.Length;

    public string LinkName => Header.LinkName;

    public UnixFileMode Mode => Header.Mode;

    /// <summary>The name's components ("" and "." dropped); throws the refusal of a name that could leave the target.</summary>
    public string[] Parts
    {
        get
        {
            _pathFailure?.Throw();
            return _parts;
        }
    }

    /// <summary>The components joined by '/' (valid once <see cref="Parts"/> did not throw).</summary>
    public string Key { get; private set; } = "";

    /// <summary>The key's <see cref="WrittenFiles.Id"/> (valid once <see cref="Parts"/> did not throw).</summary>
    public UInt128 FileId { get; private set; }

    /// <summary>The entry's data, or null when it has none.</summary>
    public Stream? DataStream { get; private set; }

    /// <summary>Ring bytes this entry holds until it is released (its data, plus the ring's tail it skipped to stay contiguous).</summary>
    internal int RingSpan { get; private set; }

    /// <summary>The data is TarReader's stream: the parser may not read on until the extracting thread is done with this entry.</summary>
    internal bool Streams { get; private set; }

    /// <summary>An entry whose data, if any, stays in TarReader's stream.</summary>
    public void SetStreaming(TarEntry header)
    {
        Header = header;
        DataStream = header.DataStream;
        Streams = DataStream is not null;
        RingSpan = 0;
    }

    /// <summary>
    /// An entry whose data was read ahead: <paramref name="count"/> bytes at <paramref name="offset"/>
    /// of <paramref name="ring"/>, then what the archive's stream did when the data was read (the end of
    /// its bytes, or <paramref name="failure"/>), so a short or failing archive fails the same way.
    /// </summary>
    public void SetHeld(TarEntry header, byte[] ring, int offset, int count, ExceptionDispatchInfo? failure, int ringSpan)
    {
        Header = header;
        _held.Reset(ring, offset, count, failure);
        DataStream = _held;
        Streams = false;
        RingSpan = ringSpan;
    }

    /// <summary>
    /// Splits and keys the name: work that depends on nothing but the name, done by the parser
    /// when it parses ahead. A refused name is kept and thrown where the extractor asks for it.
    /// </summary>
    public void ResolvePath(WrittenFiles written)
    {
        try
        {
            _parts = TarPath.Split(Name, Name, "name");
            Key = TarPath.Key(_parts);
            FileId = written.Id(Key);
            _pathFailure = null;
        }
        catch (Exception ex)
        {
            _parts = [];
            Key = "";
            _pathFailure = ExceptionDispatchInfo.Capture(ex);
        }
    }

    /// <summary>Forgets the entry so its header and stream can be collected while the slot waits.</summary>
    public void Clear()
    {
        Header = null!;
        DataStream = null;
        _parts = [];
        _pathFailure = null;
        RingSpan = 0;
        Streams = false;
    }

    /// <summary>Replays bytes read ahead, then the end of data or the failure the archive's stream gave.</summary>
    private sealed class SegmentReadStream : ReadOnlyForwardStream
    {
        private byte[] _buffer = [];
        private int _offset;
        private int _remaining;
        private ExceptionDispatchInfo? _failure;

        public void Reset(byte[] buffer, int offset, int count, ExceptionDispatchInfo? failure)
        {
            _buffer = buffer;
            _offset = offset;
            _remaining = count;
            _failure = failure;
        }

        public override int Read(Span<byte> buffer)
        {
            if (_remaining == 0)
            {
                _failure?.Throw();
                return 0;
            }

            var n = Math.Min(buffer.Length, _remaining);
            _buffer.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            _remaining -= n;
            return n;
        }
    }
}
