using System.Formats.Tar;
using FsCheck;
using FsCheck.Fluent;

namespace Scute.Store.Tests.Tar;

/// <summary>
/// Hostile-ish archives over a small alphabet of names, so names collide often: files around the
/// writers' 64 KiB limit, folders with modes that would lock the extractor out, symlinks out of the
/// target or onto names of the archive, hardlinks to earlier, later and missing names, paths through
/// earlier files and symlinks, whiteouts of both kinds, bursts of files in one folder.
/// </summary>
internal static class HostileArchiveGen
{
    /// <summary>Stands for the absolute path of the folder next to the target, filled in when the tar is built.</summary>
    public const string OutsideToken = "@outside";

    // Folders and names overlap ("a"; "n1" in bursts), so a file and a folder now and then want the same name.
    private static readonly string[] Folders = ["a", "b", "n1"];
    private static readonly string[] Names = ["a", "c", "f", "g", "h"];
    private static readonly string[] Whiteouts = [".wh.a", ".wh.b", ".wh.n1", ".wh..wh..opq"];
    private static readonly int[] FileModes = [0b110_100_100, 0b111_101_101, 0b110_000_000, 0, 0b111_111_111, 0b100_111_101_101, 0b10_111_101_101, 0b100_100_100];
    private static readonly int[] DirModes = [0b111_101_101, 0b101_101_101, 0, 0b111_000_000, 0b1_111_111_111, 0b111_111_111];
    private static readonly string[] LinkTargets = ["..", "/etc", "../outside", OutsideToken, ".", "a", "b/c", "a/b", "../../x", "n1", "/"];
    private static readonly string[] HostileHardlinkTargets = ["../outside/secret", "/etc/passwd", "missing/x", OutsideToken + "/secret"];

    /// <summary>An archive: its entries, shrunk by dropping one entry at a time.</summary>
    public static Arbitrary<EntrySpec[]> Archives => Arb.From(
        from count in Gen.Choose(1, 20)
        from entries in Entry.ArrayOf(count)
        select LinkToFiles(entries),
        Shrink);

    private static Gen<string> Path =>
        from depth in Gen.Frequency((5, Gen.Constant(1)), (4, Gen.Constant(2)), (2, Gen.Constant(3)), (1, Gen.Choose(4, 7)))
        from folders in Gen.Elements(Folders).ArrayOf(depth - 1)
        from name in Gen.Elements(Names)
        from style in Gen.Choose(0, 99)
        select Decorate([.. folders, name], style);

    private static Gen<int> FileSize => Gen.Frequency(
        (3, Gen.Constant(0)),
        (8, Gen.Choose(1, 200)),
        (2, Gen.Choose(200, 8000)),
        (2, Gen.Elements(65_535, 65_536, 65_537)),
        (1, Gen.Choose(8000, 70_000)));

    private static Gen<EntrySpec> Entry => Gen.Frequency(
        (10, from name in Path from size in FileSize from mode in Gen.Elements(FileModes) from seed in Gen.Choose(0, 1000)
            select new EntrySpec(EntryKind.File, name, "", size, mode, seed)),
        (3, from name in Path from mode in Gen.Elements(DirModes) from slash in Gen.Elements("", "/")
            select new EntrySpec(EntryKind.Directory, name + slash, "", 0, mode, 0)),
        (2, from name in Path from target in Gen.OneOf(Gen.Elements(LinkTargets), Path)
            select new EntrySpec(EntryKind.Symlink, name, target, 0, 0b111_111_111, 0)),
        (2, from name in Path from target in Gen.Frequency((4, Path), (1, Gen.Elements(HostileHardlinkTargets))) from pick in Gen.Choose(0, 1000)
            select new EntrySpec(EntryKind.Hardlink, name, target, 0, 0b110_100_100, pick)),
        (2, from folder in Gen.Frequency((1, Gen.Constant("")), (2, Path)) from marker in Gen.Elements(Whiteouts)
            select new EntrySpec(EntryKind.File, folder.Length == 0 ? marker : folder + "/" + marker, "", 0, 0b110_100_100, 0)),
        (1, from name in Path select new EntrySpec(EntryKind.WhiteoutDevice, name, "", 0, 0, 0)),
        (1, from name in Path from kind in Gen.Elements(EntryKind.OtherDevice, EntryKind.Fifo)
            select new EntrySpec(kind, name, "", 0, 0b110_100_100, 0)),
        (1, from folder in Path from count in Gen.Choose(8, 40) from seed in Gen.Choose(0, 1000)
            select new EntrySpec(EntryKind.Burst, folder, "", count, 0b110_100_100, seed)));

    /// <summary>The tar, symlinks and hardlinks to <see cref="OutsideToken"/> pointing at <paramref name="outside"/>.</summary>
    public static byte[] Build(IEnumerable<EntrySpec> specs, string outside)
    {
        var entries = new List<TarEntry>();
        foreach (var spec in specs)
        {
            var link = spec.Link.Replace(OutsideToken, outside, StringComparison.Ordinal);
            switch (spec.Kind)
            {
                case EntryKind.File:
                    entries.Add(new PaxTarEntry(TarEntryType.RegularFile, spec.Name) { DataStream = new MemoryStream(Content(spec.Seed, spec.Size)), Mode = (UnixFileMode)spec.Mode });
                    break;
                case EntryKind.Burst:
                    for (var i = 0; i < spec.Size; i++)
                    {
                        var name = i == 1 ? "n1" : $"n{i}x";
                        entries.Add(new PaxTarEntry(TarEntryType.RegularFile, $"{spec.Name}/{name}") { DataStream = new MemoryStream(Content(spec.Seed + i, (spec.Seed + i) % 300)), Mode = (UnixFileMode)spec.Mode });
                    }

                    break;
                case EntryKind.Directory:
                    entries.Add(new PaxTarEntry(TarEntryType.Directory, spec.Name) { Mode = (UnixFileMode)spec.Mode });
                    break;
                case EntryKind.Symlink:
                    entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, spec.Name) { LinkName = link });
                    break;
                case EntryKind.Hardlink:
                    entries.Add(new PaxTarEntry(TarEntryType.HardLink, spec.Name) { LinkName = link });
                    break;
                case EntryKind.WhiteoutDevice:
                    entries.Add(new PaxTarEntry(TarEntryType.CharacterDevice, spec.Name) { DeviceMajor = 0, DeviceMinor = 0 });
                    break;
                case EntryKind.OtherDevice:
                    entries.Add(new PaxTarEntry(TarEntryType.CharacterDevice, spec.Name) { DeviceMajor = 1, DeviceMinor = 3 });
                    break;
                case EntryKind.Fifo:
                    entries.Add(new PaxTarEntry(TarEntryType.Fifo, spec.Name));
                    break;
            }
        }

        return TarTestHelpers.Build([.. entries]).ToArray();
    }

    public static byte[] Content(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// Most hardlinks name a file of the archive, an earlier one mostly (a later or a missing one is
    /// refused, which ends the archive): the rest keep their generated target.
    /// </summary>
    private static EntrySpec[] LinkToFiles(EntrySpec[] entries)
    {
        var files = entries.Where(e => e.Kind == EntryKind.File && !e.Name.Contains("..", StringComparison.Ordinal)).Select(e => e.Name).ToArray();
        var fixedUp = new EntrySpec[entries.Length];
        var earlier = new List<string>();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var choice = entry.Seed % 10;
            fixedUp[i] = entry.Kind != EntryKind.Hardlink ? entry : choice switch
            {
                < 7 when earlier.Count > 0 => entry with { Link = earlier[entry.Seed % earlier.Count] },
                < 8 when files.Length > 0 => entry with { Link = files[entry.Seed % files.Length] },
                _ => entry,
            };
            if (entry.Kind == EntryKind.File)
            {
                earlier.Add(entry.Name);
            }
        }

        return fixedUp;
    }

    /// <summary>"./a", "a//b", "a/./b", and now and then "a/../b" (refused, ending the archive there).</summary>
    private static string Decorate(string[] parts, int style)
    {
        var path = string.Join('/', parts);
        return style switch
        {
            < 10 => "./" + path,
            < 14 when parts.Length > 1 => string.Join("//", parts),
            < 18 when parts.Length > 1 => string.Join("/./", parts),
            < 20 when parts.Length > 1 => parts[0] + "/../" + string.Join('/', parts[1..]),
            _ => path,
        };
    }

    private static IEnumerable<EntrySpec[]> Shrink(EntrySpec[] entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            yield return [.. entries[..i], .. entries[(i + 1)..]];
        }
    }
}

internal enum EntryKind
{
    File,
    Directory,
    Symlink,
    Hardlink,
    WhiteoutDevice,
    OtherDevice,
    Fifo,

    /// <summary><see cref="EntrySpec.Size"/> small files in the folder <see cref="EntrySpec.Name"/>, one of them "n1".</summary>
    Burst,
}

/// <summary>One generated entry (or burst of entries); printed as a line of the counterexample.</summary>
internal sealed record EntrySpec(EntryKind Kind, string Name, string Link, int Size, int Mode, int Seed)
{
    public override string ToString() => Kind switch
    {
        EntryKind.File => $"file {Name} size {Size} mode {Convert.ToString(Mode, 8)}",
        EntryKind.Burst => $"{Size} files in {Name}",
        EntryKind.Directory => $"dir {Name} mode {Convert.ToString(Mode, 8)}",
        EntryKind.Symlink or EntryKind.Hardlink => $"{Kind} {Name} -> {Link}",
        _ => $"{Kind} {Name}",
    };
}
