using System.Buffers.Binary;
using System.Text;
using Scute.Store;

namespace Scute.Engine.Prepared;

/// <summary>
/// The metadata fields a prepared file is derived from, as one digest: a rename or a state
/// change keeps it; a restore (another upper), a rebuild or a moved store does not, and exec
/// then computes the run spec as an older scute did.
/// </summary>
internal static class PreparedBasis
{
    public static string Of(ScuteStore store, EnvironmentMetadata env)
    {
        var hash = new Sha256Hasher();
        // Every exec: a plain loop (a LINQ Select over the interface costs a generic dispatch here).
        var layers = new string[env.Layers.Count];
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = env.Layers[i].ToString();
        }

        string?[] fields =
        [
            store.Layout.Root, env.EnvId, env.ImageKey, string.Join('\n', layers),
            env.CurrentSnapshot?.ToString(), env.ManifestPath, env.ManifestJson, env.SecurityJson,
        ];
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields)
        {
            var bytes = field is null ? null : Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes?.Length ?? -1);
            hash.Append(length);
            hash.Append(bytes ?? []);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
