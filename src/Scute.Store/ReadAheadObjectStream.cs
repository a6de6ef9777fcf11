using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Scute.Store;

/// <summary>
/// An object's bytes read and hashed on a thread of their own, a few chunks ahead of the reader:
/// the consumer (an extraction writing files) and SHA-256 use both cores. The bytes the consumer
/// gets are exactly the bytes hashed (the same buffers, handed over), and like
/// <see cref="HashingReadStream"/> the end of the stream throws <see cref="StoreCorruptionException"/>
/// instead of returning 0 when they do not hash to the object's digest. Memory: at most
/// <see cref="Depth"/> + 1 chunks of <see cref="ChunkSize"/> bytes.
/// </summary>
public sealed class ReadAheadObjectStream : ReadOnlyForwardStream
{
    private const int ChunkSize = 256 * 1024;
    private const int Depth = 4;

    private readonly Stream _file;
    private readonly Digest _expected;
    private readonly string _path;
    private readonly BlockingCollection<Chunk> _chunks = new(Depth);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private Chunk _current;
    private int _offset;
    private Exception? _failure;
    private Digest? _actual;
    private bool _disposed;

    internal ReadAheadObjectStream(Stream file, Digest expected, string path)
    {
        _file = file;
        _expected = expected;
        _path = path;
        _producer = Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Reads what the consumer left unread (tar padding, trailing blocks), so the whole object is checked.</summary>
    public void ReadToEndAndVerify()
    {
        var scratch = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (Read(scratch) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_current.Buffer is null || _offset == _current.Count)
        {
            ReturnCurrent();
            if (!_chunks.TryTake(out _current, Timeout.Infinite))
            {
                // The producer is done: it set the outcome before completing the collection.
                CheckAtEnd();
                return 0;
            }

            _offset = 0;
        }

        var n = Math.Min(buffer.Length, _current.Count - _offset);
        _current.Buffer.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            // Unblocks a producer waiting for room, then waits for it to let go of the file.
            while (_chunks.TryTake(out var chunk))
            {
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
            }

            try
            {
                _producer.Wait();
            }
            catch (AggregateException)
            {
                // Cancelled or failed: nobody reads its outcome any more.
            }

            while (_chunks.TryTake(out var chunk))
            {
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
            }

            ReturnCurrent();
            _chunks.Dispose();
            _stop.Dispose();
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Produce()
    {
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                var n = _file.Read(buffer, 0, ChunkSize);
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                hash.AppendData(buffer, 0, n);
                try
                {
                    _chunks.Add(new Chunk(buffer, n), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return;
                }
            }

            _actual = Digest.FromHash(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failure = e;
        }
        finally
        {
            _chunks.CompleteAdding();
        }
    }

    private void CheckAtEnd()
    {
        if (_failure is not null)
        {
            throw new IOException($"cannot read {_path}: {_failure.Message}", _failure);
        }

        if (_actual != _expected)
        {
            throw new StoreCorruptionException(_path, $"content hashes to {_actual}, expected {_expected}");
        }
    }

    private void ReturnCurrent()
    {
        if (_current.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_current.Buffer);
            _current = default;
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Count);
}
