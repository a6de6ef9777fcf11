using Scute.Policy;

namespace Scute.Engine;

public sealed record BuildResult(
    string EnvId,
    string ShortId,
    string? Name,
    string LockPath,
    string BaseDigest,
    EffectiveSecurityContext Security,
    bool DevProfileImplied);
