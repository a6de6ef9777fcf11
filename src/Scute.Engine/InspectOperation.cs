using Scute.Store;

namespace Scute.Engine;

public static class InspectOperation
{
    public static EnvironmentMetadata Run(string storeRoot, string reference)
    {
        var store = EnvironmentFinder.OpenExisting(storeRoot);
        return EnvironmentFinder.Find(store, reference);
    }
}
