using Scute.Engine.Lifecycle;
using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// One environment per identity: building a manifest whose environment exists already never
/// renames it behind the user's back and never calls an unusable one "built". What exists and
/// what to run instead is said here, before anything is written.
/// </summary>
internal static class ExistingIdentity
{
    public static void Check(EnvironmentMetadata? existing, string? requestedName)
    {
        if (existing is null)
        {
            return;
        }

        var label = existing.Name is { } n ? $"{existing.ShortId} ('{n}')" : existing.ShortId;
        if (existing.State == EnvState.Archived)
        {
            throw new EngineException(
                $"this manifest's environment {label} exists already and is archived (kept, not usable); " +
                $"scute destroy {existing.ShortId} removes it so that build can make it anew");
        }

        if (requestedName is not null && existing.Name is { } current && current != requestedName)
        {
            throw new EngineException(
                $"this manifest's environment exists already as '{current}' ({existing.ShortId}, {StateMachine.Name(existing.State)}); " +
                $"to call it '{requestedName}', run scute rename {current} {requestedName}");
        }
    }
}
