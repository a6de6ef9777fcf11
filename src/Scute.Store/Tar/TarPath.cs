namespace Scute.Store.Tar;

/// <summary>Turns an archive name into path components, refusing anything that could leave the target.</summary>
internal static class TarPath
{
    /// <summary>Components with "" and "." dropped; empty for the archive root ("./").</summary>
    public static string[] Split(string name, string entryName, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new UnsafeArchiveException(entryName, $"{what} is empty");
        }

        if (name.StartsWith('/'))
        {
            throw new UnsafeArchiveException(entryName, $"{what} '{name}' is absolute");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeArchiveException(entryName, $"{what} contains a NUL byte");
        }

        // Two passes over the name's spans: the array is the only allocation besides the components themselves.
        var count = 0;
        foreach (var range in name.AsSpan().Split('/'))
        {
            var part = name.AsSpan(range);
            if (part is "..")
            {
                throw new UnsafeArchiveException(entryName, $"{what} '{name}' contains a '..' component");
            }

            count += part.IsEmpty || part is "." ? 0 : 1;
        }

        var parts = new string[count];
        var i = 0;
        foreach (var range in name.AsSpan().Split('/'))
        {
            var part = name.AsSpan(range);
            if (!part.IsEmpty && part is not ".")
            {
                parts[i++] = part.ToString();
            }
        }

        return parts;
    }

    public static string Key(string[] parts) => string.Join('/', parts);
}
