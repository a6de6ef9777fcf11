using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Scute.Images.Tests;

/// <summary>Makes small rootfs tarballs, plain and compressed, for the tests.</summary>
internal static class Archives
{
    public const string OsRelease = "NAME=\"Test rootfs\"\nID=test\n";
    public const string Hello = "#!/bin/sh\necho hello\n";

    /// <summary>A plain tar of etc/os-release, bin/hello (0755) and bin/link → hello.</summary>
    public static void WriteRootfsTar(string path)
    {
        using var file = File.Create(path);
        WriteRootfsTar(file);
    }

    public static void WriteRootfsTar(Stream output)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        writer.WriteEntry(DirEntry("etc/"));
        writer.WriteEntry(FileEntry("etc/os-release", OsRelease, (UnixFileMode)0b110_100_100));
        writer.WriteEntry(DirEntry("bin/"));
        writer.WriteEntry(FileEntry("bin/hello", Hello, (UnixFileMode)0b111_101_101));
        writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/link") { LinkName = "hello", Mode = (UnixFileMode)0b111_111_111 });
    }

    public static byte[] RootfsTarBytes()
    {
        using var ms = new MemoryStream();
        WriteRootfsTar(ms);
        return ms.ToArray();
    }

    public static void WriteEntries(string path, params TarEntry[] entries)
    {
        using var file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false);
        foreach (var entry in entries)
        {
            writer.WriteEntry(entry);
        }
    }

    public static PaxTarEntry DirEntry(string name) =>
        new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    public static PaxTarEntry FileEntry(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        new(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    public static void Gzip(string source, string target)
    {
        using var input = File.OpenRead(source);
        using var output = File.Create(target);
        using var gz = new GZipStream(output, CompressionLevel.Optimal);
        input.CopyTo(gz);
    }

    public static bool HasTool(string name) => File.Exists("/usr/bin/" + name) || File.Exists("/bin/" + name);

    /// <summary>Compresses with the xz or zstd command line tool into <paramref name="target"/>.</summary>
    public static void CompressWith(string tool, string source, string target)
    {
        var psi = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { "-q", "-c", source })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.RedirectStandardOutput = true;
        using var p = Process.Start(psi)!;
        using (var output = File.Create(target))
        {
            p.StandardOutput.BaseStream.CopyTo(output);
        }

        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({p.ExitCode}): {err}");
        }
    }

    /// <summary>Writes the rootfs tarball in the given compression ("tar", "gz", "xz", "zst") and returns its path.</summary>
    public static string MakeRootfs(string folder, string compression)
    {
        var tar = Path.Combine(folder, "rootfs.tar");
        if (!File.Exists(tar))
        {
            WriteRootfsTar(tar);
        }

        switch (compression)
        {
            case "tar":
                return tar;
            case "gz":
                Gzip(tar, tar + ".gz");
                return tar + ".gz";
            case "xz":
                CompressWith("xz", tar, tar + ".xz");
                return tar + ".xz";
            case "zst":
                CompressWith("zstd", tar, tar + ".zst");
                return tar + ".zst";
            default:
                throw new ArgumentOutOfRangeException(nameof(compression));
        }
    }

    public static string? ToolFor(string compression) => compression switch
    {
        "xz" => "xz",
        "zst" => "zstd",
        _ => null,
    };
}
