using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Scute.Store.Tar;

/// <summary>
/// The paths of the regular files an extraction wrote (what a hardlink entry may point at), in
/// bounded memory: each path is kept as 128 bits of SHA-256 over a random per-extraction salt and
/// the path, 16 bytes instead of a string of its own, so 100,000 files take ~3 MB instead of ~10.
/// An archive cannot aim a hardlink at a file it did not write through a collision: it would
/// have to find one on 128 bits of a hash whose salt it never sees.
/// </summary>
internal sealed class WrittenFiles
{
    private const int SaltBytes = 16;
    private const int StackBytes = 512;
    private readonly HashSet<UInt128> _ids = [];
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(SaltBytes);

    public UInt128 Id(string path)
    {
        var length = SaltBytes + Encoding.UTF8.GetByteCount(path);
        var rented = length > StackBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[StackBytes];
            var input = buffer[..length];
            _salt.CopyTo(input);
            Encoding.UTF8.GetBytes(path, input[SaltBytes..]);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(input, hash);
            return MemoryMarshal.Read<UInt128>(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void Add(UInt128 id) => _ids.Add(id);

    public void Remove(UInt128 id) => _ids.Remove(id);

    public bool Contains(UInt128 id) => _ids.Contains(id);
}
