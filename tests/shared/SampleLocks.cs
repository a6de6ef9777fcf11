using Scute.Manifest;

namespace Scute.Tests.Shared;

/// <summary>A valid lock file whose base is the one a test is about; every other field is a fixed filler.</summary>
public static class SampleLocks
{
    public static LockFile For(string reference, string? version, string? sha256) => new()
    {
        EnvId = new string('e', 64),
        ShortId = new string('e', 12),
        BaseReference = reference,
        BaseDigest = "sha256:" + new string('d', 64),
        BaseVersion = version,
        BaseSha256 = sha256,
        Backend = "namespace",
        Gpu = false,
        Audio = false,
        Mounts = [],
        NetworkIsolation = false,
        Packages = [],
        Apps = [],
        SecurityContextJson = "{}",
    };
}
