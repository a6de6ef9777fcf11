using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Scute.Core;

/// <summary>A sha256 content digest. Hex is always 64 lower-case hex characters.</summary>
[JsonConverter(typeof(DigestJsonConverter))]
public readonly partial record struct Digest(string Hex) : IComparable<Digest>
{
    private const string Prefix = "sha256:";

    // Validated here so no code path can build a Digest around a bad string.
    public string Hex { get; } = Validate(Hex);

    /// <summary>First 12 hex characters, as shown to users.</summary>
    public string ShortId => Hex[..12];

    public static Digest Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, out var d)
            ? d
            : throw new FormatException($"'{s}' is not a sha256 digest (expected sha256:<64 lower-case hex>)");
    }

    public static bool TryParse(string? s, out Digest d)
    {
        d = default;
        if (s is null)
        {
            return false;
        }

        var hex = s.StartsWith(Prefix, StringComparison.Ordinal) ? s[Prefix.Length..] : s;
        if (!HexPattern().IsMatch(hex))
        {
            return false;
        }

        d = new Digest(hex);
        return true;
    }

    public static Digest Compute(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return FromHash(SHA256.HashData(s));
    }

    public static Digest Compute(ReadOnlySpan<byte> data) => FromHash(SHA256.HashData(data));

    internal static Digest FromHash(ReadOnlySpan<byte> hash) => new(Convert.ToHexStringLower(hash));

    public override string ToString() => Prefix + Hex;

    public int CompareTo(Digest other) => string.CompareOrdinal(Hex, other.Hex);

    public static bool operator <(Digest left, Digest right) => left.CompareTo(right) < 0;

    public static bool operator <=(Digest left, Digest right) => left.CompareTo(right) <= 0;

    public static bool operator >(Digest left, Digest right) => left.CompareTo(right) > 0;

    public static bool operator >=(Digest left, Digest right) => left.CompareTo(right) >= 0;

    private static string Validate(string hex) =>
        hex is not null && HexPattern().IsMatch(hex)
            ? hex
            : throw new FormatException($"'{hex}' is not 64 lower-case hex characters");

    [GeneratedRegex(@"^[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex HexPattern();
}
