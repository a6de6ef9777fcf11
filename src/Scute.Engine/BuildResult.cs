using Scute.Manifest;
using Scute.Policy;

namespace Scute.Engine;

public sealed record BuildResult(
    string EnvId,
    string ShortId,
    string? Name,
    string LockPath,
    Digest BaseDigest,
    EffectiveSecurityContext Security,
    bool DevProfileImplied)
{
    /// <summary>The environment's state after the build: built for a new one, else whatever it was.</summary>
    public Store.EnvState State { get; init; } = Store.EnvState.Built;

    /// <summary>Whether the environment of this identity existed before (nothing new was made).</summary>
    public bool Existed { get; init; }

    /// <summary>Every installed name with its exact version, sorted (as in the lock).</summary>
    public IReadOnlyList<ResolvedPackage> Packages { get; init; } = [];

    /// <summary>Whether this build ran the package manager (false when a Dependency layer was reused).</summary>
    public bool PackagesInstalled { get; init; }

    /// <summary>The manifest's [gui] apps, put into the host's menu after the build.</summary>
    public IReadOnlyList<string> Apps { get; init; } = [];

    /// <summary>What the build did but could not finish (an app that could not go into the menu): a line each for stderr.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>How build treats the lock, the network and the package manager's output.</summary>
/// <param name="Locked">Install exactly the versions the lock names (build --locked).</param>
/// <param name="Offline">Use only what the store already has (build --offline).</param>
/// <param name="Verbose">Where the package manager's own output goes (-v), or null.</param>
/// <param name="Progress">Where downloads, unpacking and package installation report how far they are (a terminal), or null.</param>
public sealed record BuildOptions(bool Locked = false, bool Offline = false, TextWriter? Verbose = null, Images.ITransferProgress? Progress = null);
