using System.CommandLine;
using System.Runtime.CompilerServices;
using Scute.Cli.Tui;

namespace Scute.Cli.Commands;

public static class TuiCommand
{
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

                return Start(context.StoreRoot);
            });
        });
        return command;
    }

    // Kept out of line so that no Terminal.Gui code is touched unless scute tui runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Start(string storeRoot) => TuiApp.Run(new EngineOperations(storeRoot));
}
