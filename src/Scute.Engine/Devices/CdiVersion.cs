namespace Scute.Engine.Devices;

/// <summary>
/// The CDI spec versions Scute reads and the version each optional field first appeared in
/// (the spec's own table): a file that uses a field newer than its cdiVersion is refused, as
/// CDI's reference loader does.
/// </summary>
public static class CdiVersion
{
    public static readonly IReadOnlyList<string> Known = ["0.3.0", "0.4.0", "0.5.0", "0.6.0", "0.7.0", "0.8.0", "1.0.0", "1.1.0"];

    public const string MountType = "0.4.0";
    public const string HostPath = "0.5.0";
    public const string DeviceNameStartsWithDigit = "0.5.0";
    public const string Annotations = "0.6.0";
    public const string DotInKindName = "0.6.0";
    public const string IntelRdt = "0.7.0";
    public const string AdditionalGids = "0.7.0";
    public const string NetDevices = "1.1.0";
    public const string IntelRdtSchemata = "1.1.0";

    public static bool IsKnown(string version) => Known.Contains(version);

    /// <summary>Compares two of <see cref="Known"/> (or any x.y.z).</summary>
    public static int Compare(string a, string b)
    {
        var x = Parts(a);
        var y = Parts(b);
        for (var i = 0; i < 3; i++)
        {
            if (x[i] != y[i])
            {
                return x[i].CompareTo(y[i]);
            }
        }

        return 0;
    }

    private static int[] Parts(string v)
    {
        var parts = v.Split('.');
        return [.. Enumerable.Range(0, 3).Select(i => i < parts.Length && int.TryParse(parts[i], out var n) ? n : 0)];
    }
}
