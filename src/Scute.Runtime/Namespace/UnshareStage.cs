using System.Diagnostics;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Starts util-linux unshare with the oci backend's namespace arguments and Scute's stage after
/// it (<c>unshare ARGS -- STAGE REQUEST</c>), handing it exactly the given descriptors.
/// </summary>
internal static class UnshareStage
{
    public static Process Start(
        IEnumerable<string> unshareArguments,
        IReadOnlyList<string> stageCommand,
        string requestPath,
        IReadOnlyList<int> handOver)
    {
        var psi = new ProcessStartInfo(NamespaceBackend.UnsharePath) { UseShellExecute = false };
        foreach (var arg in unshareArguments)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.ArgumentList.Add("--");
        foreach (var arg in stageCommand)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.ArgumentList.Add(requestPath);
        return StageProcess.Start(psi, handOver);
    }
}
