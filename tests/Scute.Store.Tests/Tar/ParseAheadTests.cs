using System.Formats.Tar;
using Scute.Store.Tar;
using static Scute.Store.Tests.Tar.TarTestHelpers;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// The tar parsed on a second thread (<see cref="ParseAhead"/>) must extract exactly what the
/// extracting thread parsing it itself does: the same bytes, the same failure in the same place,
/// in bounded memory.
/// </summary>
public sealed class ParseAheadTests : IDisposable
{
    private static readonly ExtractOptions Serial = new() { ParseAheadAfter = int.MaxValue };
    private static readonly ExtractOptions Ahead = new() { ParseAheadAfter = 0 };
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parsed_ahead_or_not_the_tree_and_counts_are_identical()
    {
        var tar = MixedArchive(smallFiles: 700);
        var serial = ExtractInto("serial", tar, Serial);
        var ahead = ExtractInto("ahead", tar, Ahead);
        var switched = ExtractInto("switched", tar, new ExtractOptions());

        Assert.Equal(serial.Result, ahead.Result);
        Assert.Equal(serial.Result, switched.Result);
        Assert.Equal(704, serial.Result.Files);
        Assert.Equal(1, serial.Result.Hardlinks);
        Assert.Equal(serial.Tree, ahead.Tree);
        Assert.Equal(serial.Tree, switched.Tree);
    }

    [Fact]
    public void With_writer_threads_or_without_the_tree_and_counts_are_identical_and_the_writers_made_the_small_files()
    {
        var tar = MixedArchive(smallFiles: 700);
        var serial = ExtractInto("serial", tar, Serial);
        var counted = new System.Runtime.CompilerServices.StrongBox<long>();
        var none = ExtractInto("none", tar, Ahead with { Writers = 0 });
        var one = ExtractInto("one", tar, Ahead with { Writers = 1 });
        var three = ExtractInto("three", tar, Ahead with { Writers = 3, FilesByWriters = counted });

        Assert.Equal(serial.Result, none.Result);
        Assert.Equal(serial.Result, one.Result);
        Assert.Equal(serial.Result, three.Result);
        Assert.Equal(serial.Tree, none.Tree);
        Assert.Equal(serial.Tree, one.Tree);
        Assert.Equal(serial.Tree, three.Tree);
        // Every file but the 3 MB one, the one above 64 KiB and the hardlink (ro/ is 0555 until the end: they were made before).
        Assert.Equal(702, counted.Value);
    }

    [Fact]
    public void Into_a_target_that_is_not_empty_every_file_is_made_by_the_extracting_thread()
    {
        var tar = MixedArchive(smallFiles: 200);
        var target = _dir.Combine("busy");
        Directory.CreateDirectory(target);
        System.IO.File.WriteAllText(Path.Combine(target, "there-before"), "x");
        var counted = new System.Runtime.CompilerServices.StrongBox<long>(-1);
        var result = SafeTarExtractor.Extract(new MemoryStream(tar), target, Ahead with { Writers = 2, FilesByWriters = counted });

        Assert.Equal(0, counted.Value);
        Assert.Equal(204, result.Files);
        var lines = Describe(target).Split('\n').Where(l => !l.StartsWith("there-before", StringComparison.Ordinal));
        Assert.Equal(ExtractInto("serial", tar, Serial).Tree, string.Join('\n', lines));
    }

    [Fact]
    public void A_packed_tree_digest_is_the_same_parsed_ahead()
    {
        var source = _dir.Combine("source");
        for (var i = 0; i < 300; i++)
        {
            var folder = Path.Combine(source, $"d{i / 50}");
            Directory.CreateDirectory(folder);
            System.IO.File.WriteAllBytes(Path.Combine(folder, $"f{i:D3}"), Content(i, i % 7 == 0 ? 70_000 : i * 13));
        }

        var tar = Pack(source);
        var serial = SafeTarExtractor.Extract(new MemoryStream(tar), _dir.Combine("serial"), Serial with { TreeDigest = true });
        var ahead = SafeTarExtractor.Extract(new MemoryStream(tar), _dir.Combine("ahead"), Ahead with { TreeDigest = true });
        Assert.NotNull(serial.TreeDigest);
        Assert.Equal(serial.TreeDigest, ahead.TreeDigest);
    }

    [Fact]
    public void A_truncated_archive_fails_the_same_way_wherever_it_is_cut()
    {
        var tar = MixedArchive(smallFiles: 40);
        var cuts = Enumerable.Range(0, 97).Select(i => (long)tar.Length * i / 97)
            .Concat([512, 1024, 1536, tar.Length - 1024, tar.Length - 1])
            .Distinct();
        foreach (var cut in cuts)
        {
            var piece = tar.AsSpan(0, (int)cut).ToArray();
            var serial = Outcome($"s{cut}", piece, Serial);
            var ahead = Outcome($"a{cut}", piece, Ahead);
            Assert.True(serial == ahead, $"cut at {cut} of {tar.Length}:\n serial: {serial}\n ahead:  {ahead}");
        }
    }

    [Fact]
    public void An_exception_while_parsing_ahead_reaches_the_caller_after_the_entries_before_it()
    {
        var tar = MixedArchive(smallFiles: 300);
        var failAt = tar.Length / 2;
        var target = _dir.Combine("target");
        var ex = Assert.Throws<SourceFailedException>(() =>
            SafeTarExtractor.Extract(new FailingStream(tar, failAt), target, Ahead));
        Assert.Equal($"the source failed at byte {failAt}", ex.Message);
        Assert.True(System.IO.File.Exists(Path.Combine(target, "small/f0000")));
    }

    [Fact]
    public void A_refused_name_far_into_the_archive_is_refused_in_its_place()
    {
        var entries = Enumerable.Range(0, 500).Select(i => (TarEntry)File($"f{i:D3}", "x")).ToList();
        entries.Insert(400, File("../escape"));
        var tar = Build([.. entries]).ToArray();
        var serial = Outcome("serial", tar, Serial);
        var ahead = Outcome("ahead", tar, Ahead);
        Assert.Equal(serial, ahead);
        Assert.Contains(nameof(UnsafeArchiveException), ahead, StringComparison.Ordinal);
        Assert.True(System.IO.File.Exists(_dir.Combine("ahead", "f399")));
        Assert.False(System.IO.File.Exists(_dir.Combine("ahead", "f400")));
    }

    [Fact]
    public void Memory_stays_bounded_and_a_large_entry_streams_after_many_small_ones()
    {
        const int Small = 3000;
        const int Large = 24 * 1024 * 1024;
        var entries = new List<TarEntry>();
        for (var i = 0; i < Small; i++)
        {
            entries.Add(new PaxTarEntry(TarEntryType.RegularFile, $"s{i:D4}") { DataStream = new MemoryStream(Content(i, 1000 + (i % 4000))) });
        }

        entries.Add(new PaxTarEntry(TarEntryType.RegularFile, "large") { DataStream = new MemoryStream(Content(-1, Large)) });
        entries.Add(File("after", "last"));
        var tar = Build([.. entries]);

        using var reader = new TarReader(new PassThroughReadStream(tar, ownsInner: false));
        using var ahead = new ParseAhead(reader, new WrittenFiles());
        Thread.Sleep(200); // the parser fills the queue before anything is taken from it
        var seen = 0;
        var buffer = new byte[64 * 1024];
        while (ahead.Next() is { } entry)
        {
            if (entry.Name == "large")
            {
                Assert.True(entry.Streams);
                Thread.Sleep(100); // the parser must wait for this entry's data, not read past it
            }
            else
            {
                Assert.False(entry.Streams);
            }

            var expected = entry.Name switch
            {
                "large" => Content(-1, Large),
                "after" => "last"u8.ToArray(),
                _ => Content(seen, 1000 + (seen % 4000)),
            };
            using var read = new MemoryStream();
            int n;
            while ((n = entry.DataStream!.Read(buffer)) > 0)
            {
                read.Write(buffer, 0, n);
            }

            Assert.True(expected.AsSpan().SequenceEqual(read.ToArray()), $"data of {entry.Name}");
            seen++;
        }

        Assert.Equal(Small + 2, seen);
        Assert.InRange(ahead.PeakRingBytes, ParseAhead.RingBytes / 2, ParseAhead.RingBytes);
    }

    /// <summary>Small files over several folders (more than the queue holds), sizes around the read-ahead limit, one large file, links, modes.</summary>
    private static byte[] MixedArchive(int smallFiles)
    {
        var entries = new List<TarEntry> { Dir("small"), Dir("sizes"), Dir("ro", (UnixFileMode)0b101_101_101) };
        for (var i = 0; i < smallFiles; i++)
        {
            entries.Add(new PaxTarEntry(TarEntryType.RegularFile, $"small/f{i:D4}")
            {
                DataStream = new MemoryStream(Content(i, i % 300)),
                Mode = (UnixFileMode)(i % 3 == 0 ? 0b111_101_101 : 0b110_100_100),
            });
        }

        foreach (var size in new[] { ParseAhead.SmallEntryBytes - 1, ParseAhead.SmallEntryBytes + 1 })
        {
            entries.Add(new PaxTarEntry(TarEntryType.RegularFile, $"sizes/{size}") { DataStream = new MemoryStream(Content(size, size)) });
        }

        entries.Add(new PaxTarEntry(TarEntryType.RegularFile, "ro/large") { DataStream = new MemoryStream(Content(7, 3 * 1024 * 1024 + 5)) });
        entries.Add(Link(TarEntryType.SymbolicLink, "small/link", "f0001"));
        entries.Add(Link(TarEntryType.HardLink, "small/hard", "small/f0002"));
        entries.Add(File("last", "the end"));
        return Build([.. entries]).ToArray();
    }

    private static byte[] Content(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private (ExtractResult Result, string Tree) ExtractInto(string name, byte[] tar, ExtractOptions options)
    {
        var target = _dir.Combine(name);
        var result = SafeTarExtractor.Extract(new MemoryStream(tar), target, options);
        return (result, Describe(target));
    }

    /// <summary>How the extraction ended (the exception's type and message) and what it left, as text.</summary>
    private string Outcome(string name, byte[] tar, ExtractOptions options)
    {
        var target = _dir.Combine(name);
        string ended;
        try
        {
            ended = SafeTarExtractor.Extract(new MemoryStream(tar), target, options).ToString();
        }
        catch (Exception ex)
        {
            ended = $"{ex.GetType().Name}: {ex.Message}";
        }

        return ended + "\n" + Describe(target);
    }

    /// <summary>Every path below <paramref name="root"/> with its kind, mode, size and content hash.</summary>
    private static string Describe(string root) => string.Join('\n', Snapshot(root).Select(path =>
    {
        var relative = Path.GetRelativePath(root, path);
        var info = new FileInfo(path);
        if (info.LinkTarget is { } link)
        {
            return $"{relative} -> {link}";
        }

        var mode = System.IO.File.GetUnixFileMode(path);
        return Directory.Exists(path)
            ? $"{relative}/ {mode}"
            : $"{relative} {mode} {info.Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(path)))}";
    }));

    private sealed class SourceFailedException(string message) : IOException(message);

    /// <summary>Serves the archive, then throws at byte <paramref name="failAt"/> as a broken source would.</summary>
    private sealed class FailingStream(byte[] data, long failAt) : ReadOnlyForwardStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAt)
            {
                throw new SourceFailedException($"the source failed at byte {failAt}");
            }

            var n = (int)Math.Min(buffer.Length, failAt - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
