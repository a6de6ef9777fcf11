using System.CommandLine;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class ExecCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var argv = new Argument<string[]>("command") { Description = "Command and its arguments (after --)", Arity = ArgumentArity.OneOrMore };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working folder inside the environment" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Give the command its own terminal (when stdin is one)" };
        var command = new Command("exec", "Run a command in an environment; exits with its status") { env, argv, workdir, tty };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(
                context,
                () => ExecOperation.Run(context.Engine, parse.GetValue(env)!, parse.GetValue(argv)!, parse.GetValue(workdir), parse.GetValue(tty)),
                execStyle: true);
        });
        return command;
    }
}
