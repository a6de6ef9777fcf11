namespace Scute.Manifest.Parsing;

/// <summary>Size and character limits shared by all readers.</summary>
internal static class TextRules
{
    public const int MaxString = 4096;
    public const int MaxImage = 512;
    public const int MaxPackages = 4096;

    public const int MaxMounts = 256;
    public const int MaxPackageName = 256;

    /// <summary>Names and paths never need control characters; they only serve to hide or smuggle things.</summary>
    public static bool HasControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Free text (reasons) may span lines, but a NUL or escape sequence is never meant.</summary>
    public static bool HasControlOtherThanWhitespace(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return true;
            }
        }

        return false;
    }
}
