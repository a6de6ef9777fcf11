using Scute.Engine.Packages;
using Scute.Runtime;
using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// What one command line hands every engine operation: the store it works on, the options the
/// store is opened with (<c>--lock-timeout</c>, the waiting line, where warnings go), and the two
/// seams tests replace (the runtime backend, the install runner). Built once by the CLI, the TUI
/// or the D-Bus service; immutable (tests make theirs with <c>with</c>), so commands run side by
/// side in one process share nothing.
/// </summary>
public sealed record EngineContext
{
    /// <param name="storeRoot">The resolved store folder (<c>--store</c>, or the default).</param>
    /// <param name="storeOptions">Null is <see cref="StoreOptions.Default"/>.</param>
    public EngineContext(string storeRoot, StoreOptions? storeOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeRoot);
        StoreRoot = storeRoot;
        StoreOptions = storeOptions ?? StoreOptions.Default;
    }

    public string StoreRoot { get; init; }

    public StoreOptions StoreOptions { get; init; }

    /// <summary>For tests: the backend to run an environment with, by backend name; null (or null returned) is the real one.</summary>
    public Func<string, IRuntimeBackend?>? BackendOverride { get; init; }

    /// <summary>For tests: runs install steps without namespaces; null is the namespace backend.</summary>
    public IInstallRunner? InstallRunnerOverride { get; init; }

    /// <summary>Opens the store, which must exist (<see cref="ScuteStore.Open"/>'s own message when it does not).</summary>
    public ScuteStore OpenStore() => ScuteStore.Open(StoreRoot, StoreOptions);

    /// <summary>Opens the store for a command that needs one; creates nothing, and says how to get one when there is none.</summary>
    public ScuteStore OpenExistingStore()
    {
        if (!File.Exists(new StoreLayout(StoreRoot).VersionFile))
        {
            throw new EngineException($"no store at {StoreRoot} yet (scute build creates it)");
        }

        return ScuteStore.Open(StoreRoot, StoreOptions);
    }

    /// <summary>For build and pull: makes the store when there is none yet.</summary>
    public ScuteStore OpenOrCreateStore() => ScuteStore.OpenOrCreate(StoreRoot, StoreOptions);
}
