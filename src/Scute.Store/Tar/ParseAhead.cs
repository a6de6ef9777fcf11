using System.Buffers;
using System.Formats.Tar;
using System.Runtime.ExceptionServices;

namespace Scute.Store.Tar;

/// <summary>
/// Parses a tar on a second thread while the caller's thread makes the files. Making small files
/// is mostly kernel time, equal to GNU tar's; what tar does not pay for is TarReader's parse and the
/// copy of each entry's data, and on one thread that user time adds to the kernel's. Here the parser
/// reads ahead, each small entry's data (up to <see cref="SmallEntryBytes"/>) into one fixed ring,
/// and hands entries over in archive order through a bounded queue: at most <see cref="Slots"/>
/// entries and <see cref="RingBytes"/> of data are in flight, whatever the archive. A larger entry
/// keeps streaming: the parser publishes it and waits until the extracting thread is done with it.
/// <para>
/// The extracting thread sees what it would have seen parsing itself: the same entries in the same
/// order; a parse failure (its exception object) when it asks for the entry after the last good
/// one; a data read that failed or came up short, when it reads that entry's data.
/// </para>
/// </summary>
internal sealed class ParseAhead : IDisposable
{
    public const int SmallEntryBytes = 64 * 1024;
    public const int RingBytes = 256 * 1024;
    public const int Slots = 64;

    // The threads wake each other in batches, not per entry: a futex wake-up per small file would
    // cost the extracting thread more than the parse it hands off.
    private const int ResumeAtCount = Slots / 2;
    private const int ResumeAtRingBytes = RingBytes / 2;

    private readonly TarReader _reader;
    private readonly WrittenFiles _written;
    // Pooled: an image's layers are extracted one after another, each with a ring.
    private readonly byte[] _ring = ArrayPool<byte>.Shared.Rent(RingBytes);
    private readonly ParsedEntry[] _slots = new ParsedEntry[Slots];
    private readonly object _gate = new();
    private readonly Thread _thread;

    // Shared, under _gate.
    private int _count;
    private int _ringUsed;
    private int _producerResumeAt;
    private bool _producerWaiting;
    private bool _consumerWaiting;
    private bool _done;
    private bool _stopped;
    private ExceptionDispatchInfo? _failure;
    private int _peakRingUsed;

    // The parser's.
    private int _tail;
    private int _writeAt;

    // The extracting thread's.
    private int _head;
    private ParsedEntry? _current;

    public ParseAhead(TarReader reader, WrittenFiles written)
    {
        _reader = reader;
        _written = written;
        for (var i = 0; i < Slots; i++)
        {
            _slots[i] = new ParsedEntry();
        }

        _thread = new Thread(Produce, maxStackSize: 256 * 1024) { IsBackground = true, Name = "tar parse-ahead" };
        _thread.Start();
    }

    /// <summary>Most ring bytes held at once so far (tests: memory stays bounded).</summary>
    internal int PeakRingBytes
    {
        get
        {
            lock (_gate)
            {
                return _peakRingUsed;
            }
        }
    }

    /// <summary>
    /// The next entry, valid until the next call; null at the end of the archive. Rethrows what the
    /// parser threw, in its place in the archive.
    /// </summary>
    public ParsedEntry? Next()
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                Release(_current);
                _current = null;
            }

            while (_count == 0)
            {
                if (_done)
                {
                    _failure?.Throw();
                    return null;
                }

                _consumerWaiting = true;
                Monitor.Wait(_gate);
            }
        }

        _current = _slots[_head];
        _head = (_head + 1) % Slots;
        return _current;
    }

    /// <summary>Stops the parser (it may be waiting for room) and waits for its thread: the archive's stream is the caller's again.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
        ArrayPool<byte>.Shared.Return(_ring);
    }

    private void Release(ParsedEntry entry)
    {
        _count--;
        _ringUsed -= entry.RingSpan;
        entry.Clear();
        if (_producerWaiting && _count <= _producerResumeAt && _ringUsed <= ResumeAtRingBytes)
        {
            _producerWaiting = false;
            Monitor.Pulse(_gate);
        }
    }

    private void Produce()
    {
        ExceptionDispatchInfo? failure = null;
        try
        {
            while (_reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (!Publish(entry))
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            lock (_gate)
            {
                _done = true;
                _failure = failure;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Hands one entry over; false once the extracting thread is gone.</summary>
    private bool Publish(TarEntry entry)
    {
        var data = entry.DataStream;
        var held = data is not null && entry.Length <= SmallEntryBytes;
        var need = held ? (int)entry.Length : 0;

        var (start, span) = RingPlacement.Place(_writeAt, need, RingBytes);
        if (!WaitForRoom(span))
        {
            return false;
        }

        var slot = _slots[_tail];
        if (held)
        {
            var (read, failure) = ReadAll(data!, _ring.AsSpan(start, need));
            slot.SetHeld(entry, _ring, start, read, failure, span);
            _writeAt = start + need;
        }
        else
        {
            slot.SetStreaming(entry);
        }

        slot.ResolvePath(_written);
        _tail = (_tail + 1) % Slots;
        lock (_gate)
        {
            _count++;
            _ringUsed += span;
            _peakRingUsed = Math.Max(_peakRingUsed, _ringUsed);
            if (_consumerWaiting)
            {
                _consumerWaiting = false;
                Monitor.Pulse(_gate);
            }
        }

        // TarReader's data stream is the archive's stream itself: parsing on would move it under the reader of the data.
        return !slot.Streams || WaitForRoom(-1);
    }

    /// <summary>
    /// Waits for a free slot and <paramref name="span"/> free ring bytes, or with -1 until the
    /// extracting thread released every entry; false when it stopped instead.
    /// </summary>
    private bool WaitForRoom(int span)
    {
        lock (_gate)
        {
            while (!_stopped && (span < 0 ? _count > 0 : _count == Slots || _ringUsed + span > RingBytes))
            {
                _producerWaiting = true;
                _producerResumeAt = span < 0 ? 0 : ResumeAtCount;
                Monitor.Wait(_gate);
            }

            return !_stopped;
        }
    }

    /// <summary>Reads until <paramref name="into"/> is full, the data ends, or the stream throws (kept for the extracting thread).</summary>
    private static (int Read, ExceptionDispatchInfo? Failure) ReadAll(Stream data, Span<byte> into)
    {
        var read = 0;
        try
        {
            int n;
            while (read < into.Length && (n = data.Read(into[read..])) > 0)
            {
                read += n;
            }

            return (read, null);
        }
        catch (Exception ex)
        {
            return (read, ExceptionDispatchInfo.Capture(ex));
        }
    }
}
