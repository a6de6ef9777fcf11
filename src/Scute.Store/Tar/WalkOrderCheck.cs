namespace Scute.Store.Tar;

/// <summary>
/// Whether a sequence of extracted entries is exactly what <see cref="TreeWalker"/> would list of
/// the result in an empty target: each path once, in walk order (ordinal order of relative paths,
/// folders with a trailing '/'), every parent folder as its own entry before its children, and no
/// name written twice. The last is not implied by the order: a file "a", then "a-b", then a folder
/// "a/" are in order, yet the folder replaces the file on disk; so the non-folder names of each
/// open folder that a later folder could still take are kept (a chain of prefixes of each other).
/// </summary>
internal sealed class WalkOrderCheck
{
    private readonly List<string> _folders = [];
    private readonly List<List<string>> _takenNames = [[]];
    private string? _last;

    /// <summary>False when <paramref name="parts"/> breaks the walk order; the caller stops asking then.</summary>
    /// <param name="relative">The entry's path as the walk reports it (a folder's ends with '/').</param>
    public bool Accept(string[] parts, bool directory, out string relative)
    {
        relative = TarPath.Key(parts) + (directory ? "/" : "");
        var parents = parts.Length - 1;
        var known = 0;
        while (known < _folders.Count && known < parents && string.Equals(_folders[known], parts[known], StringComparison.Ordinal))
        {
            known++;
        }

        if (known < parents || (_last is not null && string.CompareOrdinal(relative, _last) <= 0))
        {
            return false;
        }

        _folders.RemoveRange(parents, _folders.Count - parents);
        _takenNames.RemoveRange(parents + 1, _takenNames.Count - parents - 1);
        var taken = _takenNames[parents];
        var name = parts[^1];
        // Names sort after the last one: one that is not a prefix of this name cannot come back as a folder.
        while (taken.Count > 0 && !name.StartsWith(taken[^1], StringComparison.Ordinal))
        {
            taken.RemoveAt(taken.Count - 1);
        }

        if (directory)
        {
            if (taken.Count > 0 && taken[^1].Length == name.Length)
            {
                return false;
            }

            _folders.Add(name);
            _takenNames.Add([]);
        }
        else
        {
            taken.Add(name);
        }

        _last = relative;
        return true;
    }
}
