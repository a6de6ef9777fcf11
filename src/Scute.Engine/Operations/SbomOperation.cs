using Scute.Engine.Sbom;

namespace Scute.Engine.Operations;

/// <summary>sbom: the stored SPDX document of an environment.</summary>
public static class SbomOperation
{
    public static byte[] Run(EngineContext context, string reference)
    {
        var store = context.OpenExistingStore();
        return EnvironmentSbom.Read(store, EnvironmentFinder.Find(store, reference));
    }
}
