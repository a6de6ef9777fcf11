namespace Scute.Images;

/// <summary>Where long build steps report how far they are (the CLI draws it on a terminal).</summary>
public interface ITransferProgress
{
    /// <summary>A step begins: a download of <paramref name="totalBytes"/> (null when unknown), an unpacking, an install.</summary>
    ITransferTask Start(string description, long? totalBytes);
}

/// <summary>One step; disposing it marks it done.</summary>
public interface ITransferTask : IDisposable
{
    void Advance(long bytes);
}

/// <summary>Adds a "total" line over every step started through it: per blob and all of them together.</summary>
public sealed class TotalProgress : ITransferProgress, IDisposable
{
    private readonly ITransferProgress _inner;
    private readonly ITransferTask _total;

    public TotalProgress(ITransferProgress inner, string description, long totalBytes)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _total = inner.Start(description, totalBytes);
    }

    public ITransferTask Start(string description, long? totalBytes) => new Both(_inner.Start(description, totalBytes), _total);

    public void Dispose() => _total.Dispose();

    private sealed class Both(ITransferTask one, ITransferTask total) : ITransferTask
    {
        public void Advance(long bytes)
        {
            one.Advance(bytes);
            total.Advance(bytes);
        }

        public void Dispose() => one.Dispose();
    }
}

/// <summary>Counts the bytes read through it into a progress task.</summary>
public sealed class ProgressReadStream(Stream inner, ITransferTask task) : Scute.Store.ReadOnlyForwardStream
{
    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        task.Advance(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        task.Advance(n);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
