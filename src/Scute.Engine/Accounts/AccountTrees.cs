using Scute.Engine.Packages;

namespace Scute.Engine.Accounts;

/// <summary>
/// The trees an account is looked up in, topmost first, as <see cref="TreeFiles"/> and
/// <see cref="AccountPlan.Has"/> see them. Layered: the environment's upper folder, which the
/// command can change between runs and is therefore read every time, over lower layers whose
/// answers build recorded (<see cref="LowerTreeAnswers"/>), so an exec reads the upper only.
/// </summary>
internal sealed class AccountTrees
{
    private readonly string? _upper;
    private readonly IReadOnlyList<string> _lowers;
    private readonly LowerTreeAnswers? _known;
    private readonly LowerTreeAnswers? _record;

    private AccountTrees(string? upper, IReadOnlyList<string> lowers, LowerTreeAnswers? known, LowerTreeAnswers? record)
    {
        _upper = upper;
        _lowers = lowers;
        _known = known;
        _record = record;
    }

    /// <summary>Every tree read on each lookup.</summary>
    public static AccountTrees Plain(IReadOnlyList<string> trees) => new(null, trees, null, null);

    /// <summary>The upper read on each lookup; the lowers' answers taken from <paramref name="known"/> where it has them.</summary>
    public static AccountTrees Layered(string upper, IReadOnlyList<string> lowers, LowerTreeAnswers? known) => new(upper, lowers, known, null);

    /// <summary>The lowers alone, every answer written to <paramref name="into"/> (at build).</summary>
    public static AccountTrees Recording(IReadOnlyList<string> lowers, LowerTreeAnswers into) => new(null, lowers, null, into);

    /// <summary>As <see cref="TreeFiles.ReadTopmost"/> over the upper, then the lowers.</summary>
    public string? ReadTopmost(string containerPath)
    {
        // The first tree that has the path decides (TreeFiles): the upper, when it has anything there.
        if (_upper is not null && !TreeFiles.IsAbsent(_upper, containerPath))
        {
            return TreeFiles.ReadTopmost([_upper], containerPath);
        }

        if (_known is not null && _known.Files.TryGetValue(containerPath, out var known))
        {
            return known;
        }

        var text = TreeFiles.ReadTopmost(_lowers, containerPath);
        _record?.Files.TryAdd(containerPath, text);
        return text;
    }

    /// <summary>Whether any tree has the path, never following a link out of it (<see cref="AccountPlan.Has"/>).</summary>
    public bool Has(string containerPath)
    {
        if (_upper is not null && InTree(_upper, containerPath))
        {
            return true;
        }

        if (_known is not null && _known.Paths.TryGetValue(containerPath, out var known))
        {
            return known;
        }

        var found = false;
        foreach (var tree in _lowers)
        {
            if (InTree(tree, containerPath))
            {
                found = true;
                break;
            }
        }

        _record?.Paths.TryAdd(containerPath, found);
        return found;
    }

    /// <summary>A tree that is a folder and has the path (<see cref="RootfsLookup.Exists"/>: links resolved inside the tree).</summary>
    private static bool InTree(string tree, string containerPath) => Directory.Exists(tree) && RootfsLookup.Exists(tree, containerPath);
}
