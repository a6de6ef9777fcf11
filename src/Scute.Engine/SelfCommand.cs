namespace Scute.Engine;

/// <summary>How this very program is started again, for the namespace backend's init stage.</summary>
public static class SelfCommand
{
    public const string InitVerb = "__init";

    public static IReadOnlyList<string> Init()
    {
        var process = Environment.ProcessPath ?? throw new EngineException("cannot locate the scute executable");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            // Running as `dotnet scute.dll` (tests, dotnet run): start the same assembly again.
            return [process, Path.Combine(AppContext.BaseDirectory, "scute.dll"), InitVerb];
        }

        return [process, InitVerb];
    }
}
