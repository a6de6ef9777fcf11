using System.Net;

namespace Scute.Images.Registry;

/// <summary>A request body written by a callback straight into the connection, with a known length.</summary>
internal sealed class WriterContent(long length, Action<Stream> write) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        // The writer is synchronous (tar conversion); off the caller's thread so the connection's own async work is not blocked.
        Task.Run(() => write(stream), cancellationToken);

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) => write(stream);

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return true;
    }
}
