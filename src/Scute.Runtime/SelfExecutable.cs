namespace Scute.Runtime;

/// <summary>How this very program is started again, for the namespace backend's stages.</summary>
public static class SelfExecutable
{
    public static IReadOnlyList<string> Argv(string verb)
    {
        var process = Environment.ProcessPath ?? throw new ContainerSetupException("cannot locate the scute executable");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "scute.dll"), verb] // dotnet scute.dll (tests, dotnet run)
            : [process, verb];
    }
}
