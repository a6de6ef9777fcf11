namespace Scute.Store.Gc;

/// <summary>
/// What the collector knows about. The order is the order removals are reported in when the
/// references allow it (see <see cref="MarkSweep.Sweep"/>).
/// </summary>
public enum GcKind
{
    /// <summary>store/metadata/&lt;env_id&gt;: always a root, never collected.</summary>
    Environment,

    /// <summary>store/staging/&lt;name&gt; left by an interrupted command.</summary>
    Staging,

    /// <summary>env/&lt;env_id&gt; (overlay folders).</summary>
    EnvFolder,

    /// <summary>images/&lt;key&gt; (unpacked base image).</summary>
    Image,

    /// <summary>store/layers/&lt;hex&gt;.</summary>
    Layer,

    /// <summary>store/objects/&lt;hex&gt;.</summary>
    Object,
}

/// <summary>One thing in the store: its kind and its name (env id, image key, "sha256:..." digest, staging name).</summary>
public readonly record struct GcNode(GcKind Kind, string Id) : IComparable<GcNode>
{
    public int CompareTo(GcNode other)
    {
        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Id, other.Id);
    }

    public static bool operator <(GcNode left, GcNode right) => left.CompareTo(right) < 0;

    public static bool operator >(GcNode left, GcNode right) => left.CompareTo(right) > 0;

    public static bool operator <=(GcNode left, GcNode right) => left.CompareTo(right) <= 0;

    public static bool operator >=(GcNode left, GcNode right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Kind} {Id}";
}
