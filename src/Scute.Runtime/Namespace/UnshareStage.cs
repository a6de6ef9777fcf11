using System.Diagnostics;

using Scute.Runtime.Interop;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Starts util-linux unshare with a backend's namespace arguments and Scute's stage after it
/// (<c>unshare ARGS -- STAGE REQUEST</c>), handing it exactly the given descriptors: each is
/// made inheritable for the start and closed here afterwards, so only unshare (and the stage
/// it runs) holds them. Both the namespace and the oci backend start their stage this way.
/// </summary>
internal static class UnshareStage
{
    public static Process Start(
        IEnumerable<string> unshareArguments,
        IReadOnlyList<string> stageCommand,
        string requestPath,
        IReadOnlyList<int> handOver,
        bool redirectStdout = false,
        bool redirectStderr = false)
    {
        var psi = new ProcessStartInfo(NamespaceBackend.UnsharePath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = redirectStdout,
            RedirectStandardError = redirectStderr,
        };
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
        try
        {
            foreach (var fd in handOver)
            {
                Descriptors.Inherit(fd);
            }

            return Process.Start(psi) ?? throw new ContainerSetupException("cannot start unshare");
        }
        finally
        {
            foreach (var fd in handOver)
            {
                _ = Core.Interop.Libc.close(fd);
            }
        }
    }
}
