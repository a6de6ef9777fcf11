using System.CommandLine;
using Scute.Cli.DBus;

namespace Scute.Cli.Commands;

public static class DBusServiceCommand
{
    public static Command Create()
    {
        var idle = new Option<double>("--idle-timeout") { Description = "Exit after this many seconds without a call (activation starts it again)", HelpName = "seconds", DefaultValueFactory = _ => 60 };
        var install = new Option<bool>("--install-user-unit") { Description = "Write the D-Bus activation files and the systemd user unit for this binary, then exit" };
        var command = new Command("dbus-service", "Serve org.scute.Manager1 and Karapace's org.karapace.Manager1 on the session bus (docs/dbus.md)") { idle, install };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                if (parse.GetValue(install))
                {
                    var binary = Environment.ProcessPath ?? throw new Engine.EngineException("cannot find this program's path");
                    foreach (var path in UserUnit.Install(binary, parse.GetValue(GlobalOptions.Store) is null ? null : context.StoreRoot))
                    {
                        context.Out.WriteLine(path);
                    }

                    return ExitCodes.Success;
                }

                var seconds = parse.GetValue(idle);
                if (!(seconds > 0) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
                {
                    throw new Engine.EngineException("--idle-timeout must be a number of seconds above 0");
                }

                return DBusService.Run(context.Engine, TimeSpan.FromSeconds(seconds), context.Err);
            });
        });
        return command;
    }
}
