using System.Text;
using Scute.Core;
using Scute.Store;

namespace Scute.Engine.Prepared;

/// <summary>
/// env/&lt;env_id&gt;/exec.prepared: a first line <c>sha256:&lt;hex&gt;</c>, the digest of the
/// rest, then the <see cref="PreparedExec"/> record (<see cref="PreparedExecCodec"/>). Written durably at build; a digest that does
/// not match is a damaged store (exit 3), never silently recomputed.
/// </summary>
internal static class PreparedExecFile
{
    public const string FileName = "exec.prepared";

    public static string PathFor(ScuteStore store, string envId)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Path.Combine(store.Layout.EnvDir(envId), FileName);
    }

    public static void Write(string path, PreparedExec prepared)
    {
        var body = PreparedExecCodec.Serialize(prepared);
        byte[] bytes = [.. Encoding.ASCII.GetBytes(Digest.Compute(body) + "\n"), .. body];
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The file's content when its digest matches; null when there is none (an environment built by an older scute).</summary>
    public static PreparedExec? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0 || !Digest.TryParse(Encoding.ASCII.GetString(bytes, 0, newline), out var recorded))
        {
            throw Damaged(path, "it has no checksum line");
        }

        var body = bytes.AsMemory(newline + 1);
        if (Digest.Compute(body.Span) != recorded)
        {
            throw Damaged(path, "its content does not match its checksum");
        }

        try
        {
            return PreparedExecCodec.Deserialize(body);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(path, "it is not what build writes", e);
        }
    }

    private static StoreCorruptionException Damaged(string path, string what, Exception? inner = null) =>
        new(path, $"{what}; the environment is damaged: run scute rebuild", inner);
}
