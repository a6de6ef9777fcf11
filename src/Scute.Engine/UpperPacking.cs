using System.IO.Pipes;
using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Engine;

/// <summary>An overlay upper folder (whiteouts and opaque folders included) packed into the object store.</summary>
internal static class UpperPacking
{
    /// <summary>Packs on one thread while the object store hashes and writes on this one: constant memory, one copy on disk.</summary>
    public static Digest PackIntoStore(ScuteStore store, string upper)
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle);
        var pack = Task.Run(() =>
        {
            try
            {
                DeterministicTarPacker.Pack(upper, writer, overlayUpper: true);
            }
            finally
            {
                writer.Dispose();
            }
        });
        Digest digest;
        try
        {
            digest = store.Objects.Put(reader);
        }
        finally
        {
            reader.Dispose();
        }

        // A failed pack leaves a truncated, unreferenced object: never recorded, removed by GC.
        pack.GetAwaiter().GetResult();
        return digest;
    }
}
