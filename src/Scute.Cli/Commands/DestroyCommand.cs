using System.CommandLine;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class DestroyCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var command = new Command("destroy", "Remove an environment and its changes") { env };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var m = DestroyOperation.Run(context.Engine, parse.GetValue(env)!);
                context.Out.WriteLine($"destroyed {m.ShortId}");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
