using System.Text;
using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// <see cref="FileWriters"/> on its own: files land in the folder they were handed over with, a
/// failure reaches the extracting thread with the entry's name, and nothing handed over is lost.
/// </summary>
public sealed class FileWritersTests : IDisposable
{
    private const uint Mode = 0b110_100_100;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Files_land_in_their_folders_when_each_folders_descriptor_is_closed_and_its_number_reused_while_they_wait()
    {
        const int Folders = 300;
        const int FilesEach = 6;
        var writers = new FileWriters(2);
        try
        {
            for (var i = 0; i < Folders; i++)
            {
                var folder = _dir.Combine($"d{i:D3}");
                Directory.CreateDirectory(folder);
                // Closed as soon as its files are handed over, as the extractor's folder cache does:
                // the next folder opened gets the same descriptor number while the files still wait.
                using var tree = ConfinedTree.Open(folder);
                for (var f = 0; f < FilesEach; f++)
                {
                    Hand(writers, tree, $"f{f}", $"d{i:D3}/f{f}", $"in d{i:D3}");
                }
            }

            writers.Drain();
            Assert.True(writers.Written == Folders * FilesEach, $"{writers.Written} files written");
        }
        finally
        {
            writers.Dispose();
        }

        for (var i = 0; i < Folders; i++)
        {
            for (var f = 0; f < FilesEach; f++)
            {
                Assert.Equal($"in d{i:D3}", File.ReadAllText(_dir.Combine($"d{i:D3}", $"f{f}")));
            }
        }

        Assert.Equal(Folders * FilesEach, Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void A_failed_file_reaches_the_caller_with_its_entry_name_and_leaves_nothing_behind()
    {
        using var tree = ConfinedTree.Open(_dir.Path);
        var writers = new FileWriters(2);
        try
        {
            Hand(writers, tree, "before", "./before", "kept");
            writers.Drain();
            var tooLong = new string('n', 300); // above NAME_MAX: openat fails with ENAMETOOLONG
            Hand(writers, tree, tooLong, "./dir/" + tooLong, "lost");
            var ex = Assert.Throws<IOException>(() =>
            {
                // The failure is thrown at a later hand-over or at the drain, whichever comes first.
                for (var i = 0; i < 100; i++)
                {
                    Hand(writers, tree, $"after{i}", $"./after{i}", "x");
                }

                writers.Drain();
            });
            Assert.StartsWith($"./dir/{tooLong}: cannot create file", ex.Message, StringComparison.Ordinal);
            Assert.Throws<IOException>(writers.Drain); // it stays failed
        }
        finally
        {
            writers.Dispose();
        }

        Assert.Equal("kept", File.ReadAllText(_dir.Combine("before")));
        // One folder, one writer: nothing handed over after the failed file was made.
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "after*"));
        Assert.False(File.Exists(_dir.Combine(new string('n', 300)[..200])));
    }

    [Fact]
    public void The_earliest_files_failure_is_reported_and_every_file_before_it_is_written_whichever_writer_fails_first()
    {
        // Writer 1 gets a folder of slow files with a bad name at their end; writer 2 a bad name at
        // once. Writer 2 fails first in time, but the file of writer 1 came first in the archive.
        using var slow = ConfinedTree.Open(Directory.CreateDirectory(_dir.Combine("slow")).FullName);
        using var fast = ConfinedTree.Open(Directory.CreateDirectory(_dir.Combine("fast")).FullName);
        var content = new string('s', 60_000);
        var writers = new FileWriters(2);
        IOException ex;
        try
        {
            for (var i = 0; i < 8; i++)
            {
                Hand(writers, slow, $"s{i}", $"slow/s{i}", content);
            }

            ex = Assert.Throws<IOException>(() =>
            {
                // The failure may already be thrown at the second hand-over.
                Hand(writers, slow, new string('a', 300), "slow/first-bad", "x");
                Hand(writers, fast, new string('b', 300), "fast/second-bad", "x");
                writers.Drain();
            });
        }
        finally
        {
            writers.Dispose();
        }

        Assert.StartsWith("slow/first-bad: cannot create file", ex.Message, StringComparison.Ordinal);
        Assert.Equal(8, Directory.EnumerateFiles(_dir.Combine("slow")).Count());
    }

    [Fact]
    public void Dispose_writes_everything_handed_over_before_it_returns()
    {
        using var tree = ConfinedTree.Open(_dir.Path);
        var content = new string('c', 40_000);
        using (var writers = new FileWriters(2))
        {
            for (var i = 0; i < 400; i++)
            {
                Hand(writers, tree, $"f{i:D3}", $"f{i:D3}", content + i);
            }
        }

        for (var i = 0; i < 400; i++)
        {
            Assert.Equal(content + i, File.ReadAllText(_dir.Combine($"f{i:D3}")));
        }
    }

    [Fact]
    public void Names_and_sizes_beyond_a_ring_job_are_not_taken()
    {
        Assert.True(FileWriters.Takes(FileWriters.LargestFile, "a", "a"));
        Assert.False(FileWriters.Takes(FileWriters.LargestFile + 1, "a", "a"));
        Assert.False(FileWriters.Takes(0, new string('a', FileWriters.LongestNames), "a"));
        using var tree = ConfinedTree.Open(_dir.Path);
        using var writers = new FileWriters(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => writers.Reserve(tree.Root, FileWriters.LargestFile + 1, "a", "a"));
    }

    [Fact]
    public void Non_ascii_names_are_written_as_their_utf8_bytes()
    {
        using var tree = ConfinedTree.Open(_dir.Path);
        using (var writers = new FileWriters(2))
        {
            Hand(writers, tree, "grüße-😀.txt", "grüße-😀.txt", "ü");
            writers.Drain();
        }

        Assert.Equal("ü", File.ReadAllText(_dir.Combine("grüße-😀.txt")));
    }

    private static void Hand(FileWriters writers, ConfinedTree tree, string name, string entryName, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        bytes.CopyTo(writers.Reserve(tree.Root, bytes.Length, name, entryName));
        writers.Commit(tree.Root, Mode, chmodAfter: false, Mode);
    }
}
