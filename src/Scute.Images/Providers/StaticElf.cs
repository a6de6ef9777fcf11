namespace Scute.Images.Providers;

/// <summary>Refuses a dynamically linked binary (one with a PT_INTERP header): it could not run in a bare rootfs.</summary>
internal static class StaticElf
{
    private const uint PtInterp = 3;

    public static void EnsureStatic(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var ident = reader.ReadBytes(16);
        if (ident.Length < 16 || ident[0] != 0x7F || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F' || ident[4] != 2)
        {
            throw new ImageException($"{path} is not a 64-bit ELF binary");
        }

        stream.Position = 0x20;
        var phoff = reader.ReadUInt64();
        stream.Position = 0x36;
        var phentsize = reader.ReadUInt16();
        var phnum = reader.ReadUInt16();
        for (var i = 0; i < phnum; i++)
        {
            stream.Position = checked((long)phoff + (i * phentsize));
            if (reader.ReadUInt32() == PtInterp)
            {
                throw new ImageException($"{path} is dynamically linked; builtin:busybox needs the static one (package busybox-static)");
            }
        }
    }
}
