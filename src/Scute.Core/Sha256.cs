using System.Buffers.Binary;
using System.Numerics;

namespace Scute.Core;

/// <summary>
/// SHA-256 (FIPS 180-4) in managed code, for the few small buffers exec and list hash. Going
/// through <see cref="System.Security.Cryptography.SHA256"/> loads libssl and libcrypto and
/// initialises OpenSSL (it reads openssl.cnf): about 2 ms, more than the whole hash of a few
/// kilobytes costs here. Large data stays on OpenSSL, whose SHA instructions are much faster.
/// </summary>
public static class Sha256
{
    public const int HashSize = 32;

    internal const int BlockSize = 64;

    // The length field: the message length in bits, big-endian, in the last 8 bytes of the last block.
    private const int LengthOffset = BlockSize - sizeof(ulong);

    public static byte[] HashData(ReadOnlySpan<byte> source)
    {
        var hash = new byte[HashSize];
        HashData(source, hash);
        return hash;
    }

    public static void HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        Span<uint> state = stackalloc uint[8];
        Initialize(state);
        var whole = source.Length - (source.Length % BlockSize);
        Compress(state, source[..whole]);
        Finish(state, source[whole..], (ulong)source.Length, destination);
    }

    internal static void Initialize(Span<uint> state) => InitialState.CopyTo(state);

    /// <summary>Pads the last partial block (<paramref name="tail"/>, under 64 bytes) and writes the hash.</summary>
    internal static void Finish(Span<uint> state, ReadOnlySpan<byte> tail, ulong totalBytes, Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            throw new ArgumentException($"a SHA-256 hash needs {HashSize} bytes", nameof(destination));
        }

        // One block when the 0x80 byte and the length fit after the tail, else two.
        Span<byte> last = stackalloc byte[2 * BlockSize];
        last.Clear();
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        var blocks = tail.Length < LengthOffset ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64BigEndian(last[(blocks - sizeof(ulong))..], unchecked(totalBytes * 8));
        Compress(state, last[..blocks]);
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 * i)..], state[i]);
        }
    }

    /// <summary>Runs the compression function over whole 64-byte blocks.</summary>
    internal static void Compress(Span<uint> state, ReadOnlySpan<byte> blocks)
    {
        if (blocks.IsEmpty)
        {
            return;
        }

        // The message schedule: once per call, reused by every block.
        Span<uint> w = stackalloc uint[64];
        ReadOnlySpan<uint> k = RoundConstants;
        unchecked
        {
            for (var offset = 0; offset < blocks.Length; offset += BlockSize)
            {
                var block = blocks.Slice(offset, BlockSize);
                for (var t = 0; t < 16; t++)
                {
                    w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * t)..]);
                }

                for (var t = 16; t < 64; t++)
                {
                    w[t] = SmallSigma1(w[t - 2]) + w[t - 7] + SmallSigma0(w[t - 15]) + w[t - 16];
                }

                uint a = state[0], b = state[1], c = state[2], d = state[3];
                uint e = state[4], f = state[5], g = state[6], h = state[7];
                for (var t = 0; t < 64; t++)
                {
                    var t1 = h + BigSigma1(e) + Ch(e, f, g) + k[t] + w[t];
                    var t2 = BigSigma0(a) + Maj(a, b, c);
                    h = g;
                    g = f;
                    f = e;
                    e = d + t1;
                    d = c;
                    c = b;
                    b = a;
                    a = t1 + t2;
                }

                state[0] += a;
                state[1] += b;
                state[2] += c;
                state[3] += d;
                state[4] += e;
                state[5] += f;
                state[6] += g;
                state[7] += h;
            }
        }
    }

    private static uint Ch(uint x, uint y, uint z) => (x & y) ^ (~x & z);

    private static uint Maj(uint x, uint y, uint z) => (x & y) ^ (x & z) ^ (y & z);

    private static uint BigSigma0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);

    private static uint BigSigma1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);

    private static uint SmallSigma0(uint x) => BitOperations.RotateRight(x, 7) ^ BitOperations.RotateRight(x, 18) ^ (x >> 3);

    private static uint SmallSigma1(uint x) => BitOperations.RotateRight(x, 17) ^ BitOperations.RotateRight(x, 19) ^ (x >> 10);

    // FIPS 180-4 5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private static ReadOnlySpan<uint> InitialState =>
    [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];

    // FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
}
