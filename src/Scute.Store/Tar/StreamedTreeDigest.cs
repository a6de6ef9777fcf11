namespace Scute.Store.Tar;

/// <summary>
/// The <see cref="TreeDigest"/> of what an extraction writes into an empty folder, computed from the
/// entries as they are written instead of by walking the result again. It is only the same digest
/// when the archive lists exactly what a walk of the result would find, in walk order: every path
/// once, in ordinal order (folders with a trailing '/'), every parent folder as its own entry before
/// its children, no name written twice (see <see cref="WalkOrderCheck"/>), no hardlinks, and modes the extractor sets as they are. The deterministic packer
/// writes such archives; anything else makes <see cref="Finish"/> return null and the caller walks.
/// </summary>
internal sealed class StreamedTreeDigest : IDisposable
{
    private readonly TreeDigestBuilder _builder = new();
    private readonly WalkOrderCheck _order = new();
    private bool _valid = true;

    public void Invalidate() => _valid = false;

    /// <summary>One written entry; <paramref name="parts"/> are its path components.</summary>
    public void Add(string[] parts, TreeEntryKind kind, uint permissions, long size, ReadOnlySpan<byte> contentHash)
    {
        if (!_valid)
        {
            return;
        }

        // Modes an unprivileged fchmod may not keep as asked: let the walk report what the disk holds.
        var special = kind == TreeEntryKind.Directory ? 0xC00u : 0xE00u;
        if ((permissions & special) != 0 || !_order.Accept(parts, kind == TreeEntryKind.Directory, out var relative))
        {
            _valid = false;
            return;
        }

        _builder.Add(kind, relative, permissions, size, contentHash);
    }

    public Digest? Finish() => _valid ? _builder.Finish() : null;

    public void Dispose() => _builder.Dispose();
}
