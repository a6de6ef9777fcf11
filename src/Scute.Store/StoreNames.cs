namespace Scute.Store;

/// <summary>Names that become single path segments (env ids, image keys) must not escape their folder.</summary>
internal static class StoreNames
{
    public static string CheckSegment(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsValidSegment(name)
            ? name
            : throw new ArgumentException($"'{name}' is not a valid {what} (letters, digits, '.', '_', '-'; at most 128)", what);
    }

    /// <summary>^[A-Za-z0-9._-]{1,128}\z, but not "." or "..": checked by hand, as every command does for each id (a regex costs its start-up).</summary>
    public static bool IsValidSegment(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 128 || name is "." or "..")
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
