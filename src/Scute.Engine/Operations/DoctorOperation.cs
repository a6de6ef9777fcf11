using Scute.Runtime;

namespace Scute.Engine.Operations;

public static class DoctorOperation
{
    /// <summary>The namespace backend's needs, then which OCI runtime backend "oci" would drive (and why others were passed over).</summary>
    public static IReadOnlyList<PrerequisiteCheck> Run() => [.. HostPrerequisites.ForNamespaceBackend(), Runtime.Oci.OciRuntimeDetector.Check()];
}
