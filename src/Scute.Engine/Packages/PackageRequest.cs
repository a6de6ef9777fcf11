using Scute.Manifest;

namespace Scute.Engine.Packages;

/// <summary>What a build asks of the package step.</summary>
/// <param name="Names">Every name to install ([system].packages and [gui].apps), sorted, distinct.</param>
/// <param name="Locked">With build --locked: the exact versions the lock names; else null (newest available).</param>
/// <param name="LockPath">The lock file, named in errors about it.</param>
/// <param name="Offline">Only a Dependency layer already in the store may be used.</param>
/// <param name="Verbose">Where the package manager's own output goes (-v), or null.</param>
public sealed record PackageRequest(IReadOnlyList<string> Names, IReadOnlyList<ResolvedPackage>? Locked, string LockPath, bool Offline, TextWriter? Verbose)
{
    /// <summary>Runs the install steps instead of the namespace backend (<see cref="EngineContext.InstallRunnerOverride"/>), or null.</summary>
    public IInstallRunner? RunnerOverride { get; init; }

    public string Describe() => Locked is null ? string.Join(", ", Names) : string.Join(", ", Locked.Select(p => $"{p.Name} {p.Version}"));
}
