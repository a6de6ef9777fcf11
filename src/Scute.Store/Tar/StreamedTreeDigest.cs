namespace Scute.Store.Tar;

/// <summary>
/// The <see cref="TreeDigest"/> of what an extraction writes into an empty folder, computed from the
/// entries as they are written instead of by walking the result again. It is only the same digest
/// when the archive lists exactly what a walk of the result would find, in walk order: every path
/// once, in ordinal order (folders with a trailing '/'), every parent folder as its own entry before
/// its children, no hardlinks, and modes the extractor sets as they are. The deterministic packer
/// writes such archives; anything else makes <see cref="Finish"/> return null and the caller walks.
/// </summary>
internal sealed class StreamedTreeDigest : IDisposable
{
    private readonly TreeDigestBuilder _builder = new();
    private readonly List<string> _folders = [];
    private string? _last;
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
        var relative = TarPath.Key(parts) + (kind == TreeEntryKind.Directory ? "/" : "");
        var parents = parts.Length - 1;
        var known = 0;
        while (known < _folders.Count && known < parents && string.Equals(_folders[known], parts[known], StringComparison.Ordinal))
        {
            known++;
        }

        if ((permissions & special) != 0 || known < parents || (_last is not null && string.CompareOrdinal(relative, _last) <= 0))
        {
            _valid = false;
            return;
        }

        _folders.RemoveRange(parents, _folders.Count - parents);
        if (kind == TreeEntryKind.Directory)
        {
            _folders.Add(parts[^1]);
        }

        _last = relative;
        _builder.Add(kind, relative, permissions, size, contentHash);
    }

    public Digest? Finish() => _valid ? _builder.Finish() : null;

    public void Dispose() => _builder.Dispose();
}
