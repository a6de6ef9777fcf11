using System.Text;
using System.Text.Json;

namespace Scute.Store;

/// <summary>
/// Reads the body of a metadata file (its checksum member already cut out) in the form
/// <see cref="MetadataStore.Put"/> writes, without JsonSerializer: building the serializer's type
/// information costs more than reading the file (every short command, and <c>list</c> per file).
/// Anything outside that form (an unknown or repeated field, a missing required one or list, a
/// value of another type, a state the writer never writes, a digest that does not parse, invalid
/// JSON or UTF-8)
/// makes it decline with null, and the caller hands the body to JsonSerializer, whose result or
/// error then stands: both paths give the same metadata and the same messages.
/// One reader used for many files (list) hands out the same string for a value that repeats
/// from one file to the next (base image, backend, security context): the same text, less to
/// allocate and to transcode.
/// </summary>
internal sealed class MetadataReader
{
    // Bits of the fields seen, to refuse a repeated one and to check the required ones.
    private const int EnvIdBit = 1 << 0;
    private const int ShortIdBit = 1 << 1;
    private const int NameBit = 1 << 2;
    private const int StateBit = 1 << 3;
    private const int ManifestPathBit = 1 << 4;
    private const int BaseReferenceBit = 1 << 5;
    private const int BaseDigestBit = 1 << 6;
    private const int ImageKeyBit = 1 << 7;
    private const int BackendBit = 1 << 8;
    private const int LayersBit = 1 << 9;
    private const int ManifestJsonBit = 1 << 10;
    private const int SecurityJsonBit = 1 << 11;
    private const int CreatedAtBit = 1 << 12;
    private const int UpdatedAtBit = 1 << 13;
    private const int SnapshotsBit = 1 << 14;
    private const int CurrentSnapshotBit = 1 << 15;
    private const int SbomBit = 1 << 16;

    private const int Required = EnvIdBit | ShortIdBit | StateBit | ManifestPathBit | BaseReferenceBit | BaseDigestBit
        | ImageKeyBit | BackendBit | ManifestJsonBit | SecurityJsonBit | CreatedAtBit;

    private static readonly byte[] DigestPrefix = "sha256:"u8.ToArray();

    // The values most environments of a store share, each with the raw bytes it was read from.
    private readonly Recent _baseReference = new();
    private readonly Recent _baseDigest = new();
    private readonly Recent _imageKey = new();
    private readonly Recent _backend = new();
    private readonly Recent _securityJson = new();
    private readonly Recent[] _layers = [new(), new(), new(), new()];

    /// <summary>The metadata in <paramref name="body"/>, or null when JsonSerializer must decide.</summary>
    public static EnvironmentMetadata? TryRead(ReadOnlySpan<byte> body) => new MetadataReader().TryReadNext(body);

    /// <summary>As <see cref="TryRead"/>, sharing repeated values with the files this reader read before.</summary>
    public EnvironmentMetadata? TryReadNext(ReadOnlySpan<byte> body)
    {
        try
        {
            return Read(body);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Invalid JSON, or a string that is not UTF-8: the serializer reports it in its own words.
            return null;
        }
    }

    private EnvironmentMetadata? Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var seen = 0;
        string? envId = null, shortId = null, name = null, manifestPath = null, baseReference = null;
        string? imageKey = null, backend = null, manifestJson = null, securityJson = null;
        EnvState state = default;
        Digest baseDigest = default;
        Digest? currentSnapshot = null, sbom = null;
        DateTimeOffset createdAt = default, updatedAt = default;
        List<Digest>? layers = null, snapshots = null;

        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            // Only property names reach here inside the root object.
            var bit = FieldBit(ref reader);
            if (bit == 0 || (seen & bit) != 0 || !reader.Read())
            {
                return null;
            }

            seen |= bit;
            var ok = bit switch
            {
                EnvIdBit => RequiredString(ref reader, out envId),
                ShortIdBit => RequiredString(ref reader, out shortId),
                NameBit => OptionalString(ref reader, out name),
                StateBit => State(ref reader, out state),
                ManifestPathBit => RequiredString(ref reader, out manifestPath),
                BaseReferenceBit => _baseReference.String(ref reader, out baseReference),
                BaseDigestBit => _baseDigest.Digest(ref reader, out baseDigest),
                ImageKeyBit => _imageKey.String(ref reader, out imageKey),
                BackendBit => _backend.String(ref reader, out backend),
                LayersBit => DigestList(ref reader, _layers, out layers),
                ManifestJsonBit => RequiredString(ref reader, out manifestJson),
                SecurityJsonBit => _securityJson.String(ref reader, out securityJson),
                CreatedAtBit => Time(ref reader, out createdAt),
                UpdatedAtBit => Time(ref reader, out updatedAt),
                SnapshotsBit => DigestList(ref reader, [], out snapshots),
                CurrentSnapshotBit => OptionalDigest(ref reader, out currentSnapshot),
                SbomBit => OptionalDigest(ref reader, out sbom),
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }

        // Nothing may follow the object (the reader throws on anything but white space). A file
        // without a list (older than the field) goes the serializer's way too: it leaves the
        // property null rather than the record's empty default, and that is kept as it is.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || (seen & Required) != Required
            || layers is null || snapshots is null)
        {
            return null;
        }

        return new EnvironmentMetadata
        {
            EnvId = envId!,
            ShortId = shortId!,
            Name = name,
            State = state,
            ManifestPath = manifestPath!,
            BaseReference = baseReference!,
            BaseDigest = baseDigest,
            ImageKey = imageKey!,
            Backend = backend!,
            Layers = layers,
            ManifestJson = manifestJson!,
            SecurityJson = securityJson!,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            Snapshots = snapshots,
            CurrentSnapshot = currentSnapshot,
            Sbom = sbom,
        };
    }

    private static int FieldBit(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            return 0;
        }

        // The writer never escapes these names; an escaped one goes the serializer's way.
        if (reader.ValueIsEscaped)
        {
            return 0;
        }

        return reader.ValueSpan switch
        {
            var s when s.SequenceEqual("env_id"u8) => EnvIdBit,
            var s when s.SequenceEqual("short_id"u8) => ShortIdBit,
            var s when s.SequenceEqual("name"u8) => NameBit,
            var s when s.SequenceEqual("state"u8) => StateBit,
            var s when s.SequenceEqual("manifest_path"u8) => ManifestPathBit,
            var s when s.SequenceEqual("base_reference"u8) => BaseReferenceBit,
            var s when s.SequenceEqual("base_digest"u8) => BaseDigestBit,
            var s when s.SequenceEqual("image_key"u8) => ImageKeyBit,
            var s when s.SequenceEqual("backend"u8) => BackendBit,
            var s when s.SequenceEqual("layers"u8) => LayersBit,
            var s when s.SequenceEqual("manifest_json"u8) => ManifestJsonBit,
            var s when s.SequenceEqual("security_json"u8) => SecurityJsonBit,
            var s when s.SequenceEqual("created_at"u8) => CreatedAtBit,
            var s when s.SequenceEqual("updated_at"u8) => UpdatedAtBit,
            var s when s.SequenceEqual("snapshots"u8) => SnapshotsBit,
            var s when s.SequenceEqual("current_snapshot"u8) => CurrentSnapshotBit,
            var s when s.SequenceEqual("sbom"u8) => SbomBit,
            _ => 0,
        };
    }

    internal static bool RequiredString(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return value is not null;
    }

    internal static bool OptionalString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        return RequiredString(ref reader, out value);
    }

    internal static bool State(ref Utf8JsonReader reader, out EnvState state)
    {
        state = default;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        // Exactly the names the writer writes; any other spelling the enum converter may or may not take.
        var s = reader.ValueSpan;
        EnvState? found = s.SequenceEqual("defined"u8) ? EnvState.Defined
            : s.SequenceEqual("built"u8) ? EnvState.Built
            : s.SequenceEqual("running"u8) ? EnvState.Running
            : s.SequenceEqual("frozen"u8) ? EnvState.Frozen
            : s.SequenceEqual("archived"u8) ? EnvState.Archived
            : null;
        state = found.GetValueOrDefault();
        return found.HasValue;
    }

    internal static bool Time(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        // The serializer's DateTimeOffset converter reads with this same method.
        value = default;
        return reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out value);
    }

    private static bool OptionalDigest(ref Utf8JsonReader reader, out Digest? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (!RequiredDigest(ref reader, out var d))
        {
            return false;
        }

        value = d;
        return true;
    }

    private static bool DigestList(ref Utf8JsonReader reader, Recent[] recent, out List<Digest>? list)
    {
        list = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var items = new List<Digest>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var ok = items.Count < recent.Length
                ? recent[items.Count].Digest(ref reader, out var d)
                : RequiredDigest(ref reader, out d);
            if (!ok)
            {
                return false;
            }

            items.Add(d);
        }

        list = items;
        return true;
    }

    /// <summary>"sha256:" and 64 lower-case hex, or the hex alone, as <see cref="Digest.TryParse"/> takes them.</summary>
    internal static bool RequiredDigest(ref Utf8JsonReader reader, out Digest value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (reader.ValueIsEscaped)
        {
            return Digest.TryParse(reader.GetString(), out value);
        }

        return TryParseDigest(reader.ValueSpan, out value);
    }

    /// <summary><see cref="Digest.TryParse"/> over UTF-8 bytes.</summary>
    private static bool TryParseDigest(ReadOnlySpan<byte> s, out Digest value)
    {
        value = default;
        var hex = s.StartsWith(DigestPrefix) ? s[DigestPrefix.Length..] : s;
        if (hex.Length != 64)
        {
            return false;
        }

        foreach (var b in hex)
        {
            if (!char.IsAsciiHexDigitLower((char)b))
            {
                return false;
            }
        }

        value = new Digest(Encoding.ASCII.GetString(hex));
        return true;
    }

    /// <summary>The last value read for one field, and the raw bytes (as in the file, escapes included) it came from.</summary>
    internal sealed class Recent
    {
        private byte[] _raw = [];
        private int _length = -1;
        private string? _text;
        private Digest _digest;

        public bool String(ref Utf8JsonReader reader, out string? value)
        {
            if (reader.TokenType == JsonTokenType.String && Same(reader.ValueSpan) && _text is not null)
            {
                value = _text;
                return true;
            }

            if (!RequiredString(ref reader, out value))
            {
                return false;
            }

            Remember(reader.ValueSpan);
            _text = value;
            return true;
        }

        public bool Digest(ref Utf8JsonReader reader, out Digest value)
        {
            if (reader.TokenType == JsonTokenType.String && Same(reader.ValueSpan) && _text is null)
            {
                value = _digest;
                return true;
            }

            if (!RequiredDigest(ref reader, out value))
            {
                return false;
            }

            Remember(reader.ValueSpan);
            _text = null;
            _digest = value;
            return true;
        }

        // Equal raw bytes unescape to equal text, so the value read from them before stands.
        private bool Same(ReadOnlySpan<byte> raw) => raw.Length == _length && raw.SequenceEqual(_raw.AsSpan(0, _length));

        private void Remember(ReadOnlySpan<byte> raw)
        {
            if (_raw.Length < raw.Length)
            {
                _raw = new byte[Math.Max(raw.Length, 2 * _raw.Length)];
            }

            raw.CopyTo(_raw);
            _length = raw.Length;
        }
    }
}
