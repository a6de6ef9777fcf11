using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Scute.Core;

/// <summary>A sha256 content digest. Hex is always 64 lower-case hex characters.</summary>
[JsonConverter(typeof(DigestJsonConverter))]
public readonly partial record struct Digest(string Hex) : IComparable<Digest>
{
    private const string Prefix = "sha256:";

    // Managed SHA-256 runs at ~130 MB/s, OpenSSL's SHA instructions at ~1.7 GB/s: 64 KiB costs
    // ~0.5 ms managed, a quarter of the OpenSSL start it saves, and at most that much in a
    // process that loads OpenSSL anyway. Metadata and prepared files are a few KiB.
    internal const int ManagedLimit = 64 * 1024;

    // The same reckoning for a whole process: once it has hashed this much in managed code (list
    // checks a checksum per environment: 500 of them were ~1.5 MB, 11 ms managed), loading
    // OpenSSL costs less than going on. Exec hashes ~20 KiB and never gets there.
    internal const long ManagedBudget = 64 * 1024;

    private static long managedBytes;

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

    /// <summary>
    /// Small inputs (metadata, prepared files) are hashed in managed code: loading and initialising
    /// OpenSSL costs more than hashing them. Above <see cref="ManagedLimit"/>, or once the process
    /// has hashed <see cref="ManagedBudget"/> in managed code, OpenSSL's SHA instructions win.
    /// </summary>
    public static Digest Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[Sha256.HashSize];
        if (data.Length <= ManagedLimit && Interlocked.Add(ref managedBytes, data.Length) <= ManagedBudget)
        {
            Sha256.HashData(data, hash);
        }
        else
        {
            SHA256.HashData(data, hash);
        }

        return FromHash(hash);
    }

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
