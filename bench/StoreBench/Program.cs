using System.Globalization;
using System.Security.Cryptography;
using Scute.Store.Tar;

// pack <dir> [<tar-out>]   deterministic tar of <dir> streamed through sha256 (and to <tar-out> if given);
//                          prints "sha256:<hex> <tar bytes>"
// unpack <tar> <dest>      Scute's safe extractor; prints the counts
// sha256 <file>            streams a file through sha256, as the object store does on put and verify
if (args is ["pack", var dir, .. var rest])
{
    using var file = rest is [var outPath] ? new FileStream(outPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20) : null;
    using var sink = new HashingSink(file);
    DeterministicTarPacker.Pack(dir, sink);
    Console.WriteLine($"sha256:{sink.HexDigest()} {sink.Length.ToString(CultureInfo.InvariantCulture)}");
    return 0;
}

if (args is ["unpack", var tar, var dest])
{
    Directory.CreateDirectory(dest);
    using var input = new FileStream(tar, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
    var result = SafeTarExtractor.Extract(input, dest);
    Console.WriteLine($"{result.Files} files, {result.Directories} directories, {result.Symlinks} symlinks");
    return 0;
}

if (args is ["sha256", var path])
{
    using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
    Console.WriteLine("sha256:" + Convert.ToHexStringLower(SHA256.HashData(input)));
    return 0;
}

Console.Error.WriteLine("usage: StoreBench pack <dir> [<tar-out>] | unpack <tar> <dest> | sha256 <file>");
return 2;

/// <summary>A write-only stream that hashes what passes through and optionally forwards it.</summary>
internal sealed class HashingSink(Stream? next) : Stream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => length;

    public override long Position
    {
        get => length;
        set => throw new NotSupportedException();
    }

    public string HexDigest() => Convert.ToHexStringLower(hash.GetHashAndReset());

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        next?.Write(buffer);
        length += buffer.Length;
    }

    public override void Flush() => next?.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
