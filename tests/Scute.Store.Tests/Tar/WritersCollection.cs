namespace Scute.Store.Tests.Tar;

/// <summary>
/// The writer tests, run alone once the parallel tests are done: a writer's queue holds a
/// descriptor per queued file's folder (up to about 2,000 with two writers), which other tests
/// counting this process's descriptors would see, and one test lowers this process's descriptor limit.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WritersCollection
{
    public const string Name = "file writers";
}
