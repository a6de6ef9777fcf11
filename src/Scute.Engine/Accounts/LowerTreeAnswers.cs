namespace Scute.Engine.Accounts;

/// <summary>
/// What an environment's lower layers answered when build looked its account up: each file read
/// (its text; null when the topmost entry is missing or not a plain file) and whether each path
/// exists. The layers are store content that nothing changes once built, so the answers hold for
/// every exec of that build (the prepared file's basis names the layers).
/// </summary>
internal sealed class LowerTreeAnswers
{
    public Dictionary<string, string?> Files { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, bool> Paths { get; } = new(StringComparer.Ordinal);
}
