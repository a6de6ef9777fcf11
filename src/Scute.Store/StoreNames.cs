using System.Text.RegularExpressions;

namespace Scute.Store;

/// <summary>Names that become single path segments (env ids, image keys) must not escape their folder.</summary>
internal static partial class StoreNames
{
    public static string CheckSegment(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SegmentPattern().IsMatch(name) && name is not ("." or "..")
            ? name
            : throw new ArgumentException($"'{name}' is not a valid {what} (letters, digits, '.', '_', '-'; at most 128)", what);
    }

    public static bool IsValidSegment(string name) => SegmentPattern().IsMatch(name) && name is not ("." or "..");

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentPattern();
}
