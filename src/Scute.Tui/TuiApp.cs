using Scute.Cli;
using Terminal.Gui.App;
using Terminal.Gui.Configuration;


namespace Scute.Tui;

/// <summary>
/// scute tui: the only entry into Terminal.Gui, so no other command loads it. The UI is shut down
/// around enter and exec (the terminal is the command's until it ends) and started again after.
/// </summary>
public static class TuiApp
{
    /// <param name="waiting">The waiting line the operations' store options say; it goes to the status line while the UI is up.</param>
    public static int Run(ITuiOperations operations, LockWaitingLine waiting)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        // What Terminal.Gui's module initializer would have done (stubbed in the AOT binary: see
        // TerminalGui.Substitutions.xml), only now that the UI is wanted.
        var configError = ApplyTerminalGuiConfiguration();
        var model = new TuiModel(operations);
        var status = model.Refresh()?.Line ?? configError;
        string? selected = null;
        while (true)
        {
            MainWindow.Pending? pending;
            using (var app = Application.Create())
            {
                app.Init();
                using var window = new MainWindow(model, status, selected);
                // A busy store lock says so in the status line instead of on stderr, under the UI.
                waiting.Target = window.Say;
                app.Keyboard.KeyDown += (_, key) => window.OnApplicationKey(key);
                app.Run(window);
                pending = window.Next;
                selected = window.SelectedEnvId;
            }

            if (pending is null)
            {
                return ExitCodes.Success;
            }

            waiting.Target = Console.Error.WriteLine;
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

    /// <summary>A broken ~/.tui/config.json costs its settings, not the UI: one line saying so, or null.</summary>
    private static string? ApplyTerminalGuiConfiguration()
    {
        try
        {
            TuiConfigurationBuilder.Shared.ApplyToStaticFacades();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return "scute: Terminal.Gui's configuration was not applied: " + e.Message.ReplaceLineEndings(" ");
        }
    }
}
