namespace Scute.Engine;

/// <summary>How this very program is started again for the namespace backend's init stage.</summary>
public static class SelfCommand
{
    public const string InitVerb = "__init";

    public static IReadOnlyList<string> Init() => Runtime.SelfExecutable.Argv(InitVerb);
}
