using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Manifest;

/// <summary>
/// Reads and writes lock files: indented JSON for people to review in diffs, with a checksum over the
/// canonical JSON of everything else so an edited or truncated lock is refused rather than trusted.
/// </summary>
public static class LockFileIo
{
    public const string ChecksumKey = "checksum";
    public const int MaxLockBytes = 16 * 1024 * 1024;

    private static readonly JsonWriterOptions PrettyOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes atomically (temp file in the same folder, fsync, rename). IO failures surface as IOException.</summary>
    public static void Write(string path, LockFile lockFile)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(lockFile);
        var body = LockFileJson.ToNode(lockFile);
        body[ChecksumKey] = Checksum(body);
        var bytes = Pretty(body);

        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? "/";
        var temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Reads and verifies a lock; any problem (missing, unreadable, bad JSON, checksum mismatch, bad field) is a ManifestException naming the file.</summary>
    public static LockFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = ReadBytes(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? (int)Math.Min(l + 1, int.MaxValue) : (int?)null;
            throw new ManifestException(path, line, null, "the lock file is not valid JSON", "a lock file written by scute; run build to regenerate it", ex);
        }

        if (root is not JsonObject obj)
        {
            throw new ManifestException(path, null, null, "the lock file is not a JSON object", "a lock file written by scute; run build to regenerate it");
        }

        VerifyChecksum(path, obj);
        return LockFileJson.FromNode(path, obj);
    }

    private static void VerifyChecksum(string path, JsonObject obj)
    {
        const string accepted = "a lock file unchanged since scute wrote it; run build to regenerate it";
        if (!obj.TryGetPropertyValue(ChecksumKey, out var stored)
            || stored is not JsonValue value
            || value.GetValueKind() != JsonValueKind.String)
        {
            throw new ManifestException(path, null, ChecksumKey, "missing or not a string", accepted);
        }

        var expected = value.GetValue<string>();
        obj.Remove(ChecksumKey);
        var actual = Checksum(obj);
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(actual)))
        {
            throw new ManifestException(path, null, ChecksumKey, "checksum mismatch: the lock file was changed outside scute", accepted);
        }
    }

    private static string Checksum(JsonObject body) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.SerializeToUtf8Bytes(body)));

    private static byte[] Pretty(JsonObject body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, PrettyOptions))
        {
            body.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static byte[] ReadBytes(string path)
    {
        const string accepted = "a readable lock file written by scute";
        try
        {
            if (Directory.Exists(path))
            {
                throw new ManifestException(path, null, null, "is a folder, not a lock file", accepted);
            }

            return Parsing.BoundedFile.ReadAll(path, MaxLockBytes)
                ?? throw new ManifestException(path, null, null, "the lock file is larger than 16 MiB", accepted);
        }
        catch (FileNotFoundException ex)
        {
            throw new ManifestException(path, null, null, "lock file not found", "run build to create it", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ManifestException(path, null, null, $"cannot be read: {ex.Message}", accepted, ex);
        }
    }
}
