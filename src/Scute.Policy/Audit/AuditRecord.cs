using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Scute.Manifest;

namespace Scute.Policy.Audit;

/// <summary>
/// One line of store/audit/log.jsonl: canonical JSON (sorted keys, no whitespace) of the fields
/// below; "prev" is the sha256 of the previous line's bytes and "checksum" the sha256 of this
/// line's canonical JSON without "checksum", so a changed line is named by its own number.
/// </summary>
public sealed record AuditRecord
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public required DateTimeOffset Time { get; init; }

    public required AuditUser User { get; init; }

    public required string EnvId { get; init; }

    /// <summary>sha256:&lt;hex&gt; of the canonical manifest JSON the environment was built from.</summary>
    public required string ManifestDigest { get; init; }

    public required string Kind { get; init; }

    public required string Field { get; init; }

    public required string Value { get; init; }

    public required string Reason { get; init; }

    /// <summary>64 hex: sha256 of the previous line's bytes (without its newline); 64 zeros on line 1.</summary>
    public required string Prev { get; init; }

    /// <summary>64 hex: sha256 of the canonical JSON of every other field.</summary>
    public string Checksum => Hex(CanonicalJson.SerializeToUtf8Bytes(Body()));

    public static AuditRecord Create(AuditEntry entry, AuditStamp stamp, string prev)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(stamp);
        return new AuditRecord
        {
            Time = stamp.Time.ToUniversalTime(),
            User = stamp.User,
            EnvId = stamp.EnvId,
            ManifestDigest = stamp.ManifestDigest,
            Kind = entry.Kind,
            Field = entry.Field,
            Value = entry.Value,
            Reason = entry.Reason,
            Prev = prev,
        };
    }

    /// <summary>The same fact as <paramref name="other"/>: env, manifest, field, value and reason (time and user aside).</summary>
    public bool SameFact(AuditRecord other) =>
        other is not null && EnvId == other.EnvId && ManifestDigest == other.ManifestDigest
        && Field == other.Field && Value == other.Value && Reason == other.Reason;

    /// <summary>The line's bytes, without the newline.</summary>
    public byte[] ToLine()
    {
        var node = Body();
        node["checksum"] = Checksum;
        return CanonicalJson.SerializeToUtf8Bytes(node);
    }

    /// <summary>Every field, checksum included (what --json shows).</summary>
    public JsonObject ToJson() => JsonNode.Parse(ToLine())!.AsObject();

    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private JsonObject Body() => new()
    {
        ["env_id"] = EnvId,
        ["field"] = Field,
        ["kind"] = Kind,
        ["manifest_digest"] = ManifestDigest,
        ["prev"] = Prev,
        ["reason"] = Reason,
        ["time"] = Time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture),
        ["user"] = new JsonObject { ["name"] = User.Name, ["uid"] = User.Uid },
        ["value"] = Value,
    };
}

/// <summary>What every record of one command shares: when, who, which environment and manifest.</summary>
public sealed record AuditStamp(DateTimeOffset Time, AuditUser User, string EnvId, string ManifestDigest);
