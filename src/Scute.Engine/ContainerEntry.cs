using Scute.Runtime.Namespace;

namespace Scute.Engine;

/// <summary>The hidden init stage of the namespace backend, reached through `scute __init &lt;spec&gt;`.</summary>
public static class ContainerEntry
{
    public static int Run(string specPath) => ContainerInit.Run(specPath);

    /// <summary>The command stage, started by the init stage inside the new root.</summary>
    public static int RunCommand(int goRead, int readyWrite) => CommandStage.Run(goRead, readyWrite);

    public const string CommandVerb = ContainerInit.CommandVerb;
}
