using Scute.Cli;

namespace Scute.Tui;

/// <summary>
/// scute-tui --store &lt;dir&gt;: started by `scute tui` (which resolved the store as every command
/// does) in its place; on its own it takes the same option.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is not ["--store", { Length: > 0 } store])
        {
            Console.Error.WriteLine("scute-tui: run it as scute tui (or scute-tui --store <dir>)");
            return ExitCodes.Failure;
        }

        // enter and exec start scute's own stages: the scute binary beside this one.
        var scute = Path.Combine(Path.GetDirectoryName(Environment.ProcessPath) ?? ".", "scute");
        if (!File.Exists(scute))
        {
            Console.Error.WriteLine($"scute: scute-tui needs {scute} beside it");
            return ExitCodes.Failure;
        }

        Runtime.HiddenVerbs.Program = scute;
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            Console.Error.WriteLine("scute: scute tui needs a terminal on stdin and stdout");
            return ExitCodes.Failure;
        }

        try
        {
            var waiting = new LockWaitingLine();
            return TuiApp.Run(EngineOperations.ForStore(store, waiting), waiting);
        }
        catch (Exception e) when (ErrorReporter.Classify(e) is not null)
        {
            var (code, line) = ErrorReporter.Describe(e, store);
            Console.Error.WriteLine("scute: " + line);
            return code;
        }
    }
}
