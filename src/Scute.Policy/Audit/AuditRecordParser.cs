using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Scute.Policy.Audit;

/// <summary>Reads one line's JSON object back into an <see cref="AuditRecord"/>, naming the first thing wrong.</summary>
internal static partial class AuditRecordParser
{
    private static readonly string[] StringFields =
        ["checksum", "env_id", "field", "kind", "manifest_digest", "prev", "reason", "time", "value"];

    public static AuditRecord? TryParse(JsonObject o, out string problem)
    {
        foreach (var (key, _) in o)
        {
            if (key != "user" && !StringFields.Contains(key))
            {
                problem = $"unexpected field '{key}'";
                return null;
            }
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in StringFields)
        {
            if (o[key] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                problem = o.ContainsKey(key) ? $"field '{key}' is not a string" : $"missing field '{key}'";
                return null;
            }

            values[key] = v.GetValue<string>();
        }

        if (o["user"] is not JsonObject user
            || user.Count != 2
            || user["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String
            || user["uid"] is not JsonValue uid || !uid.TryGetValue<int>(out var uidValue))
        {
            problem = o.ContainsKey("user") ? "field 'user' is not {\"name\": string, \"uid\": number}" : "missing field 'user'";
            return null;
        }

        if (!AuditKind.All.Contains(values["kind"]))
        {
            problem = $"unknown kind '{values["kind"]}' (expected {string.Join(", ", AuditKind.All)})";
            return null;
        }

        foreach (var key in (string[])["prev", "checksum"])
        {
            if (!Hex64().IsMatch(values[key]))
            {
                problem = $"field '{key}' is not 64 lower-case hex characters";
                return null;
            }
        }

        if (!DateTimeOffset.TryParseExact(values["time"], AuditRecord.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            problem = $"field 'time' is not a UTC time ({AuditRecord.TimeFormat})";
            return null;
        }

        problem = string.Empty;
        return new AuditRecord
        {
            Time = time,
            User = new AuditUser(name.GetValue<string>(), uidValue),
            EnvId = values["env_id"],
            ManifestDigest = values["manifest_digest"],
            Kind = values["kind"],
            Field = values["field"],
            Value = values["value"],
            Reason = values["reason"],
            Prev = values["prev"],
        };
    }

    [GeneratedRegex("^[0-9a-f]{64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Hex64();
}
