using Scute.Runtime.Namespace;

namespace Scute.Engine;

/// <summary>The hidden init stage of the namespace backend, reached through `scute __init &lt;spec&gt;`.</summary>
public static class ContainerEntry
{
    public static int Run(string specPath) => ContainerInit.Run(specPath);

    /// <summary>The oci backend's stage inside its outer namespaces, reached through `scute __oci-init &lt;request&gt;`.</summary>
    public static int RunOci(string requestPath) => Runtime.Oci.OciInit.RunAsPidOne(requestPath);

    /// <summary>The oci backend's stage below its pid 1, reached through `scute __oci-run &lt;request&gt;`.</summary>
    public static int RunOciStage(string requestPath) => Runtime.Oci.OciInit.Run(requestPath);

    /// <summary>
    /// For every ordinary command, first thing: whatever the caller left open without
    /// close-on-exec (a host folder on fd 7, say) is never handed to unshare, a stage or a
    /// package manager. The runtime's own descriptors are close-on-exec already.
    /// </summary>
    public static void SealInheritedDescriptors() => Runtime.Interop.Descriptors.CloseOnExecFrom(3);
}
