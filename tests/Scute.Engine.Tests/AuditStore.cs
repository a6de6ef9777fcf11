namespace Scute.Engine.Tests;

/// <summary>Manifest bodies and byte surgery for the audit and verify-store tests.</summary>
internal static class AuditStore
{
    public const string StrictWithRelaxations = """

        [runtime]
        backend = "mock"

        [security]
        profile = "strict"
        readonly_root = false

        [security.capabilities]
        NET_BIND_SERVICE = "serves HTTP on port 80 to the LAN"

        [security.overrides]
        readonly_root = "the upstream app writes its cache under /usr/share/app"
        """;

    /// <summary>Flips one bit of one byte (the middle one, or the one given) of a file, read-only or not.</summary>
    public static void FlipByte(string path, int? at = null)
    {
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(path);
        bytes[at ?? bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, mode);
    }
}
