using Scute.Engine;
using Scute.Images;
using Scute.Manifest;
using Scute.Policy;
using Scute.Runtime;
using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Cli;

/// <summary>
/// The one place where an exception becomes an exit code and one line on stderr. Stack traces
/// only with --trace.
/// </summary>
public static class ErrorReporter
{
    public static int Run(CommandContext context, Func<int> action, bool execStyle = false)
    {
        try
        {
            return action();
        }
        catch (Exception e)
        {
            var known = Classify(e);
            var code = known ?? ExitCodes.Failure;
            var prefix = known is null ? "internal error: " : string.Empty;
            context.Err.WriteLine($"scute: {prefix}{OneLine(e.Message)}" + (known is null && !context.Trace ? " (run with --trace for details)" : string.Empty));
            if (context.Trace)
            {
                context.Err.WriteLine(e.ToString());
            }

            // exec and enter keep the inner command's codes free: Scute's own failures are 125 (DESIGN §6).
            return execStyle ? ExitCodes.ScuteError : code;
        }
    }

    public static int? Classify(Exception e) => e switch
    {
        ManifestException or PolicyViolationException or ImageReferenceException => ExitCodes.ManifestOrPolicy,
        StoreException => ExitCodes.StoreIntegrity,
        ContainerSetupException => ExitCodes.ScuteError,
        EngineException or ImageException or UnsafeArchiveException => ExitCodes.Failure,
        IOException or UnauthorizedAccessException or InvalidDataException => ExitCodes.Failure,
        _ => null,
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
