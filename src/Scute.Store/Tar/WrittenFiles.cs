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
/// <para>
/// The ids are kept in an open-addressing table of their own rather than a HashSet: an id is
/// already uniformly spread (a keyed hash), so its low bits are the slot and nothing else is
/// stored, one memory access per lookup where HashSet takes a bucket and an entry; the table is
/// paged below the large-object threshold, so outgrown pages are not left on the large-object
/// heap until a full collection. Added ids wait in a small buffer until the next lookup or
/// removal: inserted one at a time between two files' system calls, each insert is a cache miss
/// of its own; inserted in a batch, the misses overlap.
/// </para>
/// <para>
/// With <c>everyName</c>, the table also knows every other name the extraction made (folders,
/// symlinks...), so <see cref="TryAddName"/> can tell a new name from one made before without a
/// second table: the low bit of an id is kept for "a regular file", and ids are made with it clear.
/// </para>
/// </summary>
/// <param name="everyName">Keep names that are not (or no longer) regular files too.</param>
internal sealed class WrittenFiles(bool everyName = false)
{
    private static readonly UInt128 RegularFile = UInt128.One;
    private const int SaltBytes = 16;
    private const int StackBytes = 512;
    private const int PageBits = 12; // 4096 slots of 16 bytes: 64 KiB, below the large-object threshold
    private const int PageSlots = 1 << PageBits;
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(SaltBytes);
    private const int PendingIds = 256;
    private readonly UInt128[] _pending = new UInt128[PendingIds];
    private UInt128[][] _pages = [new UInt128[PageSlots]];
    private int _count;
    private int _pendingCount;

    /// <summary>Ids stored (for tests).</summary>
    internal int Count
    {
        get
        {
            Flush();
            return _count;
        }
    }

    /// <summary>Slots in the table (for tests).</summary>
    internal int Capacity => _pages.Length * PageSlots;

    /// <summary>The path's id; never zero (zero marks an empty slot), low bit clear. Thread-safe: the parser keys names ahead of the extractor.</summary>
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
            var id = MemoryMarshal.Read<UInt128>(hash) & ~RegularFile;
            return id == UInt128.Zero ? 2 : id; // 2^-127: the salt keeps an archive from aiming at it
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The name is a regular file this extraction wrote.</summary>
    public void Add(UInt128 id)
    {
        CheckId(id);
        if (_pendingCount == PendingIds)
        {
            Flush();
        }

        _pending[_pendingCount++] = id;
    }

    /// <summary>With everyName: adds the name (not as a regular file) unless it is known; false when it was.</summary>
    public bool TryAddName(UInt128 id)
    {
        if (!everyName)
        {
            throw new InvalidOperationException("this table keeps regular files only");
        }

        CheckId(id);
        Flush();
        return Insert(id, regularFile: false);
    }

    /// <summary>The name is a regular file this extraction wrote (and did not replace since).</summary>
    public bool Contains(UInt128 id)
    {
        CheckId(id);
        Flush();
        return Find(id, out var slot) && (SlotRef(slot) & RegularFile) != UInt128.Zero;
    }

    /// <summary>The name is no longer a regular file (with everyName it stays known as a name).</summary>
    public void Remove(UInt128 id)
    {
        CheckId(id);
        Flush();
        if (!Find(id, out var hole))
        {
            return;
        }

        if (everyName)
        {
            SlotRef(hole) &= ~RegularFile;
            return;
        }

        // Linear probing without tombstones: move back any later id of the run whose home slot the
        // hole now cuts it off from, so every id stays reachable from its home slot.
        var mask = Capacity - 1;
        var next = hole;
        while (true)
        {
            next = (next + 1) & mask;
            var candidate = SlotRef(next);
            if (candidate == UInt128.Zero)
            {
                break;
            }

            var home = Home(candidate, mask);
            var reachableWithoutHole = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!reachableWithoutHole)
            {
                SlotRef(hole) = candidate;
                hole = next;
            }
        }

        SlotRef(hole) = UInt128.Zero;
        _count--;
    }

    private static void CheckId(UInt128 id)
    {
        if ((id & RegularFile) != UInt128.Zero || id == UInt128.Zero)
        {
            throw new ArgumentException("not an id made by Id()", nameof(id));
        }
    }

    private void Flush()
    {
        for (var i = 0; i < _pendingCount; i++)
        {
            Insert(_pending[i], regularFile: true);
        }

        _pendingCount = 0;
    }

    private bool Insert(UInt128 id, bool regularFile)
    {
        var stored = regularFile ? id | RegularFile : id;
        if (Find(id, out var slot))
        {
            SlotRef(slot) |= stored;
            return false;
        }

        if (_count + 1 > Capacity / 4 * 3)
        {
            Grow();
            Find(id, out slot);
        }

        SlotRef(slot) = stored;
        _count++;
        return true;
    }

    /// <summary>The slot an id starts probing at: its low bits, past the regular-file bit.</summary>
    private static int Home(UInt128 id, int mask) => unchecked((int)((ulong)id >> 1)) & mask;

    private ref UInt128 SlotRef(int slot) => ref _pages[slot >> PageBits][slot & (PageSlots - 1)];

    /// <summary>True with the id's slot, or false with the empty slot where it would go.</summary>
    private bool Find(UInt128 id, out int slot)
    {
        var mask = Capacity - 1;
        slot = Home(id, mask);
        while (true)
        {
            var stored = SlotRef(slot);
            if ((stored & ~RegularFile) == id)
            {
                return true;
            }

            if (stored == UInt128.Zero)
            {
                return false;
            }

            slot = (slot + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _pages;
        _pages = new UInt128[old.Length * 2][];
        for (var i = 0; i < _pages.Length; i++)
        {
            _pages[i] = new UInt128[PageSlots];
        }

        _count = 0;
        foreach (var page in old)
        {
            foreach (var id in page)
            {
                if (id != UInt128.Zero)
                {
                    Find(id, out var slot);
                    SlotRef(slot) = id;
                    _count++;
                }
            }
        }
    }
}
