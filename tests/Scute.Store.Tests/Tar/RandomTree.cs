using System.Text;

namespace Scute.Store.Tests.Tar;

/// <summary>Builds the same small random tree (files, modes, nested and read-only folders, symlinks) for a given seed.</summary>
internal static class RandomTree
{
    private const string NameChars = "abcXYZ019-._";
    private static readonly int[] FileModes = [0b110_100_100, 0b111_101_101, 0b110_000_000, 0b100_100_100, 0b111_000_000, 0b100_111_101_101 /* 04755 */];
    private static readonly int[] DirModes = [0b111_101_101, 0b111_000_000, 0b101_101_101, 0b1_111_111_111 /* 01777 */];
    private static readonly string[] LinkTargets = ["f0", "../up", "/etc/passwd", "does/not/exist", "ü-target"];

    public static void Build(string root, int seed)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(root);
        var dirs = new List<string> { root };
        var dirModes = new List<(string Path, int Mode)>();
        WriteFile(Path.Combine(root, "f0"), random, 0b110_100_100);
        var count = random.Next(1, 12);
        for (var i = 0; i < count; i++)
        {
            var parent = dirs[random.Next(dirs.Count)];
            var path = Path.Combine(parent, Name(random));
            if (Path.Exists(path))
            {
                continue;
            }

            switch (random.Next(4))
            {
                case 0:
                    Directory.CreateDirectory(path);
                    dirs.Add(path);
                    dirModes.Add((path, DirModes[random.Next(DirModes.Length)]));
                    break;
                case 1:
                    File.CreateSymbolicLink(path, LinkTargets[random.Next(LinkTargets.Length)]);
                    break;
                default:
                    WriteFile(path, random, FileModes[random.Next(FileModes.Length)]);
                    break;
            }
        }

        // Folder modes last, so read-only folders could still be filled.
        foreach (var (path, mode) in dirModes)
        {
            File.SetUnixFileMode(path, (UnixFileMode)mode);
        }
    }

    /// <summary>Sets every file and folder time to <paramref name="time"/>, to show times do not matter.</summary>
    public static void Touch(string root, DateTime time)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (!new FileInfo(path).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                File.SetLastWriteTimeUtc(path, time);
            }
        }
    }

    private static void WriteFile(string path, Random random, int mode)
    {
        var content = new byte[random.Next(0, 3000)];
        random.NextBytes(content);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    private static string Name(Random random)
    {
        // Now and then a name longer than ustar's 100 bytes, to exercise GNU long names.
        var length = random.Next(10) == 0 ? random.Next(101, 160) : random.Next(1, 9);
        var sb = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            sb.Append(NameChars[random.Next(NameChars.Length)]);
        }

        var name = sb.ToString();
        return name is "." or ".." ? "dot" : name;
    }
}
