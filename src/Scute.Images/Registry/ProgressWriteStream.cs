namespace Scute.Images.Registry;

/// <summary>Counts what is written through it into a progress task, and checks the count against the declared size.</summary>
internal sealed class ProgressWriteStream(Stream inner, ITransferTask? task) : Scute.Store.WriteOnlyForwardStream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Written += buffer.Length;
        task?.Advance(buffer.Length);
    }

    public override void Flush() => inner.Flush();
}
