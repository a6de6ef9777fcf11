namespace Scute.Manifest;

/// <summary>Hex checks used by identity and lock code.</summary>
internal static class HexExtensions
{
    public static bool ContainsOnlyLowerHex(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
