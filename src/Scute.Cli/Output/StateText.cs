using Scute.Store;

namespace Scute.Cli.Output;

/// <summary>An environment state as users see it: the lower-case name, without Enum.ToString's reflection per row.</summary>
public static class StateText
{
    public static string Of(EnvState state) => state switch
    {
        EnvState.Defined => "defined",
        EnvState.Built => "built",
        EnvState.Running => "running",
        EnvState.Frozen => "frozen",
        EnvState.Archived => "archived",
        _ => state.ToString().ToLowerInvariant(),
    };
}
