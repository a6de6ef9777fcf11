using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Engine;

/// <summary>An overlay upper folder (whiteouts and opaque folders included) packed into the object store.</summary>
internal static class UpperPacking
{
    /// <summary>Packs on one thread while the object store hashes and writes on this one: constant memory, one copy on disk.</summary>
    public static Digest PackIntoStore(ScuteStore store, string upper)
    {
        // A failed pack throws here and leaves nothing behind: the staged copy is deleted.
        using var staged = store.Objects.Stage(output => DeterministicTarPacker.Pack(upper, output, overlayUpper: true));
        return staged.Commit();
    }
}
