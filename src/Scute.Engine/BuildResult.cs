using Scute.Policy;

namespace Scute.Engine;

public sealed record BuildResult(
    string EnvId,
    string ShortId,
    string? Name,
    string LockPath,
    string BaseDigest,
    EffectiveSecurityContext Security,
    bool DevProfileImplied)
{
    /// <summary>The environment's state after the build: built for a new one, else whatever it was.</summary>
    public Store.EnvState State { get; init; } = Store.EnvState.Built;

    /// <summary>Whether the environment of this identity existed before (nothing new was made).</summary>
    public bool Existed { get; init; }
}
