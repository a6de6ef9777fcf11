using Scute.Runtime;
using Scute.Runtime.Namespace;
using Scute.Runtime.Oci;
using Scute.Runtime.Podman;

namespace Scute.Engine;

/// <summary>Picks the runtime backend an environment was built for.</summary>
public static class BackendFactory
{
    public static void EnsureSupported(string backend)
    {
        if (backend is not ("namespace" or "oci" or "podman" or "mock"))
        {
            throw new EngineException($"runtime.backend \"{backend}\" is not supported (available: namespace, oci, podman, mock)");
        }
    }

    /// <summary>The backend for <paramref name="backend"/>, or what the context's <see cref="EngineContext.BackendOverride"/> gives for it.</summary>
    public static IRuntimeBackend Create(EngineContext context, string backend)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.BackendOverride?.Invoke(backend) is { } custom)
        {
            return custom;
        }

        EnsureSupported(backend);
        return backend switch
        {
            "mock" => new MockBackend(),
            "oci" => new OciBackend(Runtime.HiddenVerbs.Argv(Runtime.HiddenVerbs.OciInit)),
            "podman" => new PodmanBackend(),
            _ => new NamespaceBackend(Runtime.HiddenVerbs.Argv(Runtime.HiddenVerbs.Init)),
        };
    }
}
