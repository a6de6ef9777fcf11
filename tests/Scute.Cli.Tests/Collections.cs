namespace Scute.Cli.Tests;

/// <summary>
/// Tests that change process-wide state (the current folder) run
/// alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessStateCollection
{
    public const string Name = "process-state";
}
