using System.CommandLine;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class EnterCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working folder inside the environment" };
        var shell = new Option<string?>("--shell") { Description = "Shell to start instead of the login shell of your account inside (e.g. /bin/bash)" };
        var command = new Command("enter", "Open an interactive shell in an environment") { env, workdir, shell };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(
                context,
                () => ExecOperation.Run(context.Engine, parse.GetValue(env)!, parse.GetValue(shell) is { } chosen ? [chosen, "-l"] : [], parse.GetValue(workdir), terminal: true),
                execStyle: true);
        });
        return command;
    }
}
