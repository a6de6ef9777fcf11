using System.Formats.Tar;
using Scute.Store.Tar;
using static Scute.Store.Tests.Tar.TarTestHelpers;
using static Scute.Store.Tests.Tar.WritersComparison;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// The writer threads really make the small files of a plain archive (<see cref="ExtractOptions.FilesByWriters"/>),
/// and only where they may: up to <see cref="FileWriters.LargestFile"/>, into a target that starts empty.
/// </summary>
[Collection(WritersCollection.Name)]
public sealed class ParallelWritesWorkTests : IDisposable
{
    private const int SmallFiles = 2000;
    private const int AtLimit = 10;
    private const int OverLimit = 10;

    private static readonly byte[] Archive = PlainArchive();

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Writers_make_every_file_up_to_64_KiB_and_the_tree_is_the_serial_one()
    {
        var serial = Run(Archive, _dir.Combine("serial"), Serial);
        var writers = Run(Archive, _dir.Combine("writers"), WithWriters);

        Assert.Equal(serial.Visible, writers.Visible);
        Assert.StartsWith($"ExtractResult {{ Files = {SmallFiles + AtLimit + OverLimit},", writers.Ended, StringComparison.Ordinal);
        Assert.Equal(0, serial.FilesByWriters);
        Assert.Equal(SmallFiles + AtLimit, writers.FilesByWriters);
    }

    [SkippableFact]
    public void By_default_writers_take_over_once_the_archive_is_parsed_ahead()
    {
        Skip.If(Environment.ProcessorCount < 2, "one core: no writer threads by default");
        var defaults = new ExtractOptions();

        var outcome = Run(Archive, _dir.Combine("default"), defaults);

        // The first entries (the two folders, then files) are extracted before the parse-ahead and the writers start.
        Assert.Equal(SmallFiles + AtLimit - (defaults.ParseAheadAfter - 2), outcome.FilesByWriters);
    }

    [Fact]
    public void Into_a_target_that_is_not_empty_no_writer_makes_a_file()
    {
        var target = _dir.Combine("used");
        Directory.CreateDirectory(Path.Combine(target, "small"));
        System.IO.File.WriteAllText(Path.Combine(target, "small", "f0007"), "there before");

        var outcome = Run(Archive, target, WithWriters);
        var serial = Run(Archive, _dir.Combine("serial"), Serial);

        Assert.Equal(0, outcome.FilesByWriters);
        Assert.Equal(serial.Tree, outcome.Tree);
    }

    /// <summary>A folder of small files, then files of exactly 64 KiB (the writers') and one byte more (the extracting thread's).</summary>
    private static byte[] PlainArchive()
    {
        var entries = new List<TarEntry> { Dir("small/"), Dir("sizes/") };
        for (var i = 0; i < SmallFiles; i++)
        {
            entries.Add(new PaxTarEntry(TarEntryType.RegularFile, $"small/f{i:D4}") { DataStream = new MemoryStream(HostileArchiveGen.Content(i, i % 2000)) });
        }

        for (var i = 0; i < AtLimit + OverLimit; i++)
        {
            var size = FileWriters.LargestFile + (i < AtLimit ? 0 : 1);
            entries.Add(new PaxTarEntry(TarEntryType.RegularFile, $"sizes/{i}-{size}") { DataStream = new MemoryStream(HostileArchiveGen.Content(-i, size)) });
        }

        return Build([.. entries]).ToArray();
    }
}
