using Scute.Runtime;
using Scute.Runtime.Namespace;
using Scute.Runtime.Oci;
using Scute.Runtime.Podman;

namespace Scute.Engine;

/// <summary>Picks the runtime backend an environment was built for.</summary>
public static class BackendFactory
{
    /// <summary>Set by tests to run the engine against a recording backend.</summary>
    public static Func<string, IRuntimeBackend?>? Override { get; set; }

    public static void EnsureSupported(string backend)
    {
        if (backend is not ("namespace" or "oci" or "podman" or "mock"))
        {
            throw new EngineException($"runtime.backend \"{backend}\" is not supported (available: namespace, oci, podman, mock)");
        }
    }

    public static IRuntimeBackend Create(string backend)
    {
        if (Override?.Invoke(backend) is { } custom)
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
