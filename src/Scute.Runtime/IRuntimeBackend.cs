namespace Scute.Runtime;

/// <summary>One way of running an environment's processes. Each applies the whole security context.</summary>
public interface IRuntimeBackend
{
    string Name { get; }

    /// <summary>What this backend needs from the host, and whether each need is met.</summary>
    IReadOnlyList<PrerequisiteCheck> CheckPrerequisites();

    /// <summary>Runs the spec's command with inherited stdio and returns its exit status.</summary>
    /// <param name="started">Told the host pid of the process that lives exactly as long as the environment's processes do.</param>
    int Run(RunSpec spec, Action<int>? started = null);
}

public sealed record PrerequisiteCheck(string Name, bool Ok, string Detail);
