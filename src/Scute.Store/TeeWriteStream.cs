namespace Scute.Store;

/// <summary>
/// Writes every chunk to two streams, the first then the second. A failed write to the second runs
/// <paramref name="onSecondFailed"/> first, which may throw the reason that side went away.
/// </summary>
internal sealed class TeeWriteStream(Stream first, Stream second, Action onSecondFailed) : WriteOnlyForwardStream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        first.Write(buffer);
        try
        {
            second.Write(buffer);
        }
        catch (IOException)
        {
            onSecondFailed();
            throw;
        }

        Written += buffer.Length;
    }

    public override void Flush()
    {
        first.Flush();
        second.Flush();
    }
}
