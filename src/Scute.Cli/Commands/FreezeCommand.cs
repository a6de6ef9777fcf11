using System.CommandLine;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class FreezeCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var command = new Command("freeze", "Stop all writes: later commands run with a read-only root") { env };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var m = StateChangeOperation.Freeze(context.Engine, parse.GetValue(env)!);
                context.Out.WriteLine($"frozen {m.ShortId}");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
