using System.CommandLine;
using System.Runtime.InteropServices;
using Scute.Core.Interop;

namespace Scute.Cli.Commands;

/// <summary>
/// scute tui: replaced (execv) by the scute-tui program beside this binary. Terminal.Gui lives
/// there, so the size it adds is not paid by every other scute process at start-up.
/// </summary>
public static partial class TuiCommand
{
    public const string ProgramName = "scute-tui";

    public static Command Create()
    {
        var command = new Command("tui", "Browse and manage the store's environments in a terminal UI (list, filter, inspect, enter, exec, commit, restore, stop, freeze, archive, rename, destroy, gc)");
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                if (Console.IsInputRedirected || Console.IsOutputRedirected)
                {
                    throw new IOException("scute tui needs a terminal on stdin and stdout");
                }

                var program = Path.Combine(Path.GetDirectoryName(Environment.ProcessPath) ?? ".", ProgramName);
                if (!File.Exists(program))
                {
                    throw new IOException($"scute tui needs {program}, which is published beside scute (dotnet publish src/Scute.Tui)");
                }

                Console.Out.Flush();
                Console.Error.Flush();
                _ = Libc.execv(program, [ProgramName, "--store", context.StoreRoot, null]);
                throw new IOException($"cannot start {program}: {Marshal.GetLastPInvokeErrorMessage()}");
            });
        });
        return command;
    }
}
