namespace Scute.Engine.Tests;

/// <summary>
/// Tests that change process-wide state (environment variables)
/// run in this collection, one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessStateCollection
{
    public const string Name = "env";
}
