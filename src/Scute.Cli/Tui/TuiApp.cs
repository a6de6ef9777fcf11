using Scute.Store;
using Terminal.Gui.App;

namespace Scute.Cli.Tui;

/// <summary>
/// scute tui: the only entry into Terminal.Gui, so no other command loads it. The UI is shut down
/// around enter and exec (the terminal is the command's until it ends) and started again after.
/// </summary>
public static class TuiApp
{
    public static int Run(ITuiOperations operations)
    {
        var model = new TuiModel(operations);
        var status = model.Refresh()?.Line;
        string? selected = null;
        while (true)
        {
            MainWindow.Pending? pending;
            using (var app = Application.Create())
            {
                app.Init();
                // A busy store lock says so in the status line instead of on stderr, under the UI.
                StoreLockOptions.Waiting = pid => status = StoreLockOptions.WaitingMessage(pid);
                using var window = new MainWindow(model, status, selected);
                app.Keyboard.KeyDown += (_, key) => window.OnApplicationKey(key);
                app.Run(window);
                pending = window.Next;
                selected = window.SelectedEnvId;
            }

            if (pending is null)
            {
                return ExitCodes.Success;
            }

            StoreLockOptions.Waiting = pid => Console.Error.WriteLine(StoreLockOptions.WaitingMessage(pid));
            var outcome = model.Dispatch(pending.Action, pending.Row, pending.Input);
            if (pending.Action == TuiAction.Exec || outcome.Error)
            {
                // The command's output stays on screen until the user has read it.
                Console.Out.WriteLine();
                Console.Out.Write($"{outcome.Line}; press Enter to return to scute tui ");
                Console.In.ReadLine();
            }

            status = outcome.Line;
            model.Refresh();
        }
    }
}
