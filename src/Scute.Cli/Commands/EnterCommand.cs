using System.CommandLine;
using Scute.Engine;

namespace Scute.Cli.Commands;

public static class EnterCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working folder inside the environment" };
        var command = new Command("enter", "Open an interactive shell in an environment") { env, workdir };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(
                context,
                () => ExecOperation.Run(context.StoreRoot, parse.GetValue(env)!, ExecOperation.DefaultShell(), parse.GetValue(workdir), terminal: true),
                execStyle: true);
        });
        return command;
    }
}
