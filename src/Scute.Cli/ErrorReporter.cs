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
            var message = DiskFull(e, () => context.StoreRoot) ?? e.Message;
            context.Err.WriteLine($"scute: {prefix}{OneLine(message)}" + (known is null && !context.Trace ? " (run with --trace for details)" : string.Empty));
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
        ManifestException or PolicyViolationException or ImageReferenceException or Images.Trust.ImageTrustException => ExitCodes.ManifestOrPolicy,
        StoreException or LockException => ExitCodes.StoreIntegrity,
        ContainerSetupException => ExitCodes.ScuteError,
        EngineException or ImageException or UnsafeArchiveException => ExitCodes.Failure,
        IOException or UnauthorizedAccessException or InvalidDataException => ExitCodes.Failure,
        _ => null,
    };

    private const int ENoSpc = 28;
    private const string NoSpaceText = "No space left on device";

    /// <summary>
    /// ENOSPC, raw (.NET's IOException carries the errno as HResult) or wrapped in a store error:
    /// "the disk holding &lt;path&gt; is full", naming the store when the file was in it.
    /// </summary>
    public static string? DiskFull(Exception e, Func<string> storeRoot)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(storeRoot);
        var full = false;
        for (var x = e; x is not null && !full; x = x.InnerException)
        {
            full = (x is IOException && x.HResult == ENoSpc) || x.Message.Contains(NoSpaceText, StringComparison.Ordinal);
        }

        if (!full)
        {
            return null;
        }

        var quoted = e.Message.Split('\'') is { Length: >= 3 } parts ? parts[^2] : null;
        string? root = null;
        try
        {
            root = storeRoot();
        }
        catch (Exception ex) when (ex is EngineException or InvalidOperationException or ArgumentException or IOException)
        {
            // No store root to name: the file is named instead.
        }

        var where = root is not null && (quoted is null || quoted.StartsWith(Path.TrimEndingDirectorySeparator(root) + "/", StringComparison.Ordinal))
            ? $"the store {root}"
            : quoted ?? "the file being written";
        return $"the disk holding {where} is full ({NoSpaceText}); free some space and run the command again";
    }

    /// <summary>What <see cref="Run"/> would print and return, for callers that are not a terminal (the D-Bus service).</summary>
    public static (int Code, string Line) Describe(Exception e, string storeRoot)
    {
        ArgumentNullException.ThrowIfNull(e);
        var known = Classify(e);
        var line = OneLine(DiskFull(e, () => storeRoot) ?? e.Message);
        return (known ?? ExitCodes.Failure, known is null ? "internal error: " + line : line);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
