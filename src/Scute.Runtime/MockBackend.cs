namespace Scute.Runtime;

/// <summary>A deterministic backend for unit tests: records what it was asked to run and runs nothing.</summary>
public sealed class MockBackend : IRuntimeBackend
{
    private readonly List<RunSpec> runs = [];

    public string Name => "mock";

    public IReadOnlyList<RunSpec> Runs => runs;

    /// <summary>Exit status every run reports.</summary>
    public int ExitCode { get; init; }

    public IReadOnlyList<PrerequisiteCheck> CheckPrerequisites() => [new("mock", true, "runs nothing")];

    public int Run(RunSpec spec, Action<int>? started = null)
    {
        runs.Add(spec);
        return ExitCode;
    }
}
