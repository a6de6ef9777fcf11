using System.Buffers;
using System.IO.Enumeration;
using System.Text.Json;

namespace Scute.Store;

/// <summary>
/// Environment metadata in store/metadata/&lt;env_id&gt;: canonical JSON plus a
/// "checksum" field, the sha256 of the canonical JSON of all other fields.
/// </summary>
public sealed class MetadataStore
{
    private const string ChecksumField = "checksum";

    // Metadata files are about 1.5 KiB; a larger one grows the buffer.
    private const int ReadBufferSize = 8192;
    private readonly StoreLayout _layout;

    internal MetadataStore(StoreLayout layout) => _layout = layout;

    public void Put(EnvironmentMetadata m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var path = _layout.MetadataPath(m.EnvId);
        var body = CanonicalJson.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(m, StoreJsonContext.Default.EnvironmentMetadata));
        var withChecksum = CanonicalJson.WithExtraProperty(body, ChecksumField, Digest.Compute(body).ToString());
        Directory.CreateDirectory(_layout.MetadataDir);
        AtomicFile.WriteAllBytes(path, withChecksum, _layout.TempFolder());
        if (m.Name is { } name)
        {
            WriteNameHint(name, m.EnvId);
        }

        RefreshListIndex();
    }

    /// <summary>
    /// The environment named <paramref name="name"/>, looked up through store/names/ (one small
    /// file and one metadata file read) and, when the hint is missing or out of date (a store made
    /// before the hints, a crash, a rollback), by reading the names of every metadata file.
    /// Reads only; never writes a hint.
    /// </summary>
    public IReadOnlyList<EnvironmentMetadata> FindByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ReadNameHint(name) is { } hinted && TryGet(hinted, out var m) && m!.Name == name)
        {
            return [m];
        }

        return [.. Ids().Where(id => MetadataNames.NameIn(_layout.MetadataPath(id)) == name).Select(Get).Where(e => e.Name == name)];
    }

    /// <summary>The env_ids in the store, from the names of the metadata files alone (nothing is read).</summary>
    public IReadOnlyList<string> Ids()
    {
        if (!Directory.Exists(_layout.MetadataDir))
        {
            return [];
        }

        // Temp files of an interrupted write start with '.', they are not environments. Only the
        // names are made into strings (list reads 500 of them).
        var names = new FileSystemEnumerable<string>(
            _layout.MetadataDir,
            (ref FileSystemEntry e) => e.FileName.ToString(),
            new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && !e.FileName.StartsWith('.'),
        };
        var ids = names.ToList();
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    // A hint, checked against the metadata on every use: written without fsync or rename (a torn or
    // lost one only costs a scan), so naming an environment costs no extra durable write.
    private void WriteNameHint(string name, string envId)
    {
        try
        {
            var path = _layout.NamePath(name);
            Directory.CreateDirectory(_layout.NamesDir);
            File.WriteAllText(path, envId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Lookups fall back to the scan.
        }
    }

    private string? ReadNameHint(string name)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            // An id is ASCII: such a hint reads the same without File.ReadAllText's decoder (one with a byte order mark or other bytes goes through it).
            var path = _layout.NamePath(name);
            if (!SmallFile.TryRead(path, ref buffer, out var length))
            {
                return null;
            }

            var text = buffer.AsSpan(0, length).IndexOfAnyExceptInRange((byte)1, (byte)0x7F) < 0
                ? System.Text.Encoding.ASCII.GetString(buffer, 0, length).Trim()
                : File.ReadAllText(path).Trim();
            return StoreNames.IsValidSegment(text) ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public EnvironmentMetadata Get(string envId) => TryGet(envId, out var m) ? m! : throw NotInStore(envId);

    public bool TryGet(string envId, out EnvironmentMetadata? m)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            return TryRead(envId, null, new MetadataReader(), ref buffer, out m);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Every environment, each file read once, relative to the open folder, through one buffer and one reader.</summary>
    public IReadOnlyList<EnvironmentMetadata> List()
    {
        var ids = Ids();
        if (ids.Count == 0)
        {
            return [];
        }

        var all = new List<EnvironmentMetadata>(ids.Count);
        var reader = new MetadataReader();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        using var folder = SmallFile.Folder.Open(_layout.MetadataDir);
        try
        {
            foreach (var id in ids)
            {
                all.Add(TryRead(id, folder, reader, ref buffer, out var m) ? m! : throw NotInStore(id));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return all;
    }

    private bool TryRead(string envId, SmallFile.Folder? folder, MetadataReader reader, ref byte[] buffer, out EnvironmentMetadata? m)
    {
        var path = _layout.MetadataPath(envId);
        var found = folder is null
            ? SmallFile.TryRead(path, ref buffer, out var length)
            : SmallFile.TryRead(folder, envId, path, ref buffer, out length);
        if (!found)
        {
            m = null;
            return false;
        }

        m = Parse(path, buffer.AsSpan(0, length), reader);
        if (m.EnvId != envId)
        {
            throw new StoreCorruptionException(path, $"file holds environment {m.EnvId}");
        }

        return true;
    }

    private static StoreException NotInStore(string envId) => new($"environment {envId} is not in the store");

    public void Delete(string envId)
    {
        File.Delete(_layout.MetadataPath(envId));
        if (Directory.Exists(_layout.MetadataDir))
        {
            Interop.FSyncDirectory(_layout.MetadataDir);
        }

        RefreshListIndex();
    }

    /// <summary>
    /// What list shows of every environment, in env_id order: from store/list-index for each file
    /// whose identity (one statx, no read) is still the one its row was made from, else from the
    /// file itself, read and checked as <see cref="List"/> does. Reads only; never writes the index.
    /// </summary>
    public IReadOnlyList<EnvironmentSummary> Summaries()
    {
        var ids = Ids();
        if (ids.Count == 0)
        {
            return [];
        }

        var index = ListIndex.Read(_layout.ListIndexFile);
        var all = new List<EnvironmentSummary>(ids.Count);
        MetadataReader? reader = null;
        byte[]? buffer = null;
        using var folder = SmallFile.Folder.Open(_layout.MetadataDir);
        try
        {
            foreach (var id in ids)
            {
                if (folder is not null && index.TryGetValue(id, out var row)
                    && Interop.LStat(folder.Fd, id, out var st) == 0 && FileIdentity.Of(st).Same(row.Identity))
                {
                    all.Add(row.Summary);
                    continue;
                }

                reader ??= new MetadataReader();
                buffer ??= ArrayPool<byte>.Shared.Rent(ReadBufferSize);
                all.Add(TryRead(id, folder, reader, ref buffer, out var m) ? EnvironmentSummary.Of(m!) : throw NotInStore(id));
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return all;
    }

    /// <summary>
    /// Brings store/list-index up to date after a metadata write or delete (the caller holds the
    /// store lock): keeps each row whose file is unchanged, reads the others (with their checksum)
    /// from the very descriptor whose identity it records, drops rows without a file. A file that
    /// cannot be read gets no row (list then reads it and reports it); nothing here fails the write.
    /// </summary>
    private void RefreshListIndex()
    {
        try
        {
            var ids = Ids();
            var old = ListIndex.Read(_layout.ListIndexFile);
            var rows = new List<ListIndex.Row>(ids.Count);
            var changed = old.Count != ids.Count;
            var reader = new MetadataReader();
            var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            using var folder = SmallFile.Folder.Open(_layout.MetadataDir);
            try
            {
                foreach (var id in ids)
                {
                    if (folder is null || !StoreNames.IsValidSegment(id))
                    {
                        changed = true;
                        continue;
                    }

                    if (old.TryGetValue(id, out var row) && Interop.LStat(folder.Fd, id, out var st) == 0 && FileIdentity.Of(st).Same(row.Identity))
                    {
                        rows.Add(row);
                        continue;
                    }

                    changed = true;
                    if (ReadForIndex(folder, id, reader, ref buffer) is { } fresh)
                    {
                        rows.Add(fresh);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (changed)
            {
                ListIndex.Write(_layout, rows);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The metadata folder could not be listed: the old index stays, its rows checked on use.
        }
    }

    private ListIndex.Row? ReadForIndex(SmallFile.Folder folder, string envId, MetadataReader reader, ref byte[] buffer)
    {
        var path = _layout.MetadataPath(envId);
        try
        {
            if (!SmallFile.TryRead(folder, envId, path, ref buffer, out var length, out var identity))
            {
                return null;
            }

            var m = Parse(path, buffer.AsSpan(0, length), reader);
            return m.EnvId == envId ? new ListIndex.Row(identity, EnvironmentSummary.Of(m)) : null;
        }
        catch (Exception e) when (e is StoreException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static readonly byte[] ChecksumMember = "\"checksum\":\""u8.ToArray();

    /// <summary>
    /// A file this store wrote is canonical: cutting its checksum member out gives the canonical
    /// body. The key's bytes cannot occur inside a string value (its quotes would be escaped), and
    /// a body that hashes to the recorded checksum is the hashed body whatever it looks like; any
    /// other file takes the full path.
    /// </summary>
    private static (int Length, Range Recorded) WithoutChecksum(ReadOnlySpan<byte> span, Span<byte> body)
    {
        var start = span.IndexOf(ChecksumMember);
        if (start < 1)
        {
            return (0, default);
        }

        var valueStart = start + ChecksumMember.Length;
        var close = span[valueStart..].IndexOf((byte)'"');
        if (close < 0)
        {
            return (0, default);
        }

        var end = valueStart + close + 1;
        var (cutFrom, cutTo) = end < span.Length && span[end] == (byte)','
            ? (start, end + 1)
            : span[start - 1] == (byte)',' ? (start - 1, end) : (start, end);
        span[..cutFrom].CopyTo(body);
        span[cutTo..].CopyTo(body[cutFrom..]);
        var hex = span.Slice(valueStart, close).StartsWith(DigestPrefix) ? valueStart + DigestPrefix.Length : valueStart;
        return (span.Length - (cutTo - cutFrom), hex..(valueStart + close));
    }

    private static readonly byte[] DigestPrefix = "sha256:"u8.ToArray();

    private static EnvironmentMetadata Parse(string path, ReadOnlySpan<byte> bytes, MetadataReader reader)
    {
        var pooled = ArrayPool<byte>.Shared.Rent(bytes.Length);
        try
        {
            // The recorded checksum (as Digest.TryParse takes it: with or without its prefix) equal
            // to the hash's 64 lower-case hex characters is a valid digest equal to the hash.
            var (length, recorded) = WithoutChecksum(bytes, pooled);
            if (length > 0 && System.Text.Ascii.Equals(bytes[recorded], Digest.Compute(pooled.AsSpan(0, length)).Hex))
            {
                // These are exactly the bytes that were hashed when the file was written: no need to
                // parse, re-canonicalize and hash again (list reads every file once this way).
                return Deserialize(pooled.AsSpan(0, length), reader);
            }

            using var doc = JsonDocument.Parse(bytes.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(ChecksumField, out var checksumElement)
                || checksumElement.ValueKind != JsonValueKind.String
                || !Digest.TryParse(checksumElement.GetString(), out var expected))
            {
                throw new StoreCorruptionException(path, "metadata has no valid checksum field");
            }

            var body = CanonicalJson.Canonicalize(root, name => name != ChecksumField);
            var actual = Digest.Compute(body);
            if (actual != expected)
            {
                throw new StoreCorruptionException(path, $"metadata checksum mismatch (content {actual}, recorded {expected})");
            }

            return Deserialize(body, reader);
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptionException(path, $"unreadable metadata: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    /// <summary>
    /// The hand-written reader for files in the writer's own form; anything else goes to
    /// JsonSerializer, whose result or error stands (see <see cref="MetadataReader"/>).
    /// </summary>
    internal static EnvironmentMetadata Deserialize(ReadOnlySpan<byte> body, MetadataReader? reader = null) =>
        (reader ?? new MetadataReader()).TryReadNext(body)
        ?? JsonSerializer.Deserialize(body, StoreJsonContext.Default.EnvironmentMetadata)
        ?? throw new JsonException("null metadata");
}
