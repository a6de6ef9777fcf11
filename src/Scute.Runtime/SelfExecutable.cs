namespace Scute.Runtime;

/// <summary>How this very program is started again, for the namespace backend's stages.</summary>
public static class SelfExecutable
{
    /// <summary>Set by a program other than scute (scute-tui) to the scute binary: the stages are scute's verbs.</summary>
    public static string? Program { get; set; }

    public static IReadOnlyList<string> Argv(string verb)
    {
        var process = Program ?? Environment.ProcessPath ?? throw new ContainerSetupException("cannot locate the scute executable");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "scute.dll"), verb] // dotnet scute.dll (tests, dotnet run)
            : [process, verb];
    }
}
