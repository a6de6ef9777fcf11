using System.Runtime.CompilerServices;

namespace Scute.Core;

/// <summary>
/// <see cref="Sha256"/> over data given in pieces (length-prefixed fields, a few files): the
/// managed stand-in for an IncrementalHash of SHA-256 where only small inputs are hashed.
/// </summary>
public sealed class Sha256Hasher
{
    private State _state;
    private Block _pending;
    private int _pendingLength;
    private ulong _totalBytes;

    public Sha256Hasher() => Reset();

    public void Append(ReadOnlySpan<byte> data)
    {
        _totalBytes = unchecked(_totalBytes + (ulong)data.Length);
        Span<byte> pending = _pending;
        if (_pendingLength > 0)
        {
            var take = Math.Min(Sha256.BlockSize - _pendingLength, data.Length);
            data[..take].CopyTo(pending[_pendingLength..]);
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < Sha256.BlockSize)
            {
                return;
            }

            Sha256.Compress(_state, pending);
            _pendingLength = 0;
        }

        var whole = data.Length - (data.Length % Sha256.BlockSize);
        Sha256.Compress(_state, data[..whole]);
        data[whole..].CopyTo(pending);
        _pendingLength = data.Length - whole;
    }

    /// <summary>The hash of everything appended since the last reset; then starts over.</summary>
    public byte[] GetHashAndReset()
    {
        var hash = new byte[Sha256.HashSize];
        GetHashAndReset(hash);
        return hash;
    }

    public void GetHashAndReset(Span<byte> destination)
    {
        Span<byte> pending = _pending;
        Sha256.Finish(_state, pending[.._pendingLength], _totalBytes, destination);
        Reset();
    }

    private void Reset()
    {
        Sha256.Initialize(_state);
        _pendingLength = 0;
        _totalBytes = 0;
    }

    // Inline, so a hasher is one object and appending never allocates.
    [InlineArray(8)]
    private struct State
    {
        private uint _first;
    }

    [InlineArray(Sha256.BlockSize)]
    private struct Block
    {
        private byte _first;
    }
}
