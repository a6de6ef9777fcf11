using System.Runtime.InteropServices;

namespace Scute.Images.Oci;

/// <summary>Picks the host's linux/amd64 or linux/arm64 entry from an image index or manifest list.</summary>
public static class PlatformChoice
{
    /// <summary>The host's architecture in OCI/Go naming.</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static OciDescriptor Choose(IReadOnlyList<OciDescriptor> manifests, string architecture, string what)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        // arm64 images say variant "v8" or nothing; both run here. Attestation entries (os "unknown") never match.
        var match = manifests.FirstOrDefault(m => m.Platform is { Os: "linux" } p && p.Architecture == architecture
            && (p.Variant is null || architecture != "arm64" || p.Variant == "v8"));
        if (match is not null)
        {
            return match;
        }

        var offered = manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToString()).Distinct().Order(StringComparer.Ordinal);
        throw new ImageException($"{what}: no image for linux/{architecture} in its index (it offers: {string.Join(", ", offered.DefaultIfEmpty("no platforms"))})");
    }
}
