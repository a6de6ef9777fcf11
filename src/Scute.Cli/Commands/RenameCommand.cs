using System.CommandLine;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class RenameCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var newName = new Argument<string>("new-name") { Description = "[A-Za-z0-9_-]{1,64}, unique in the store" };
        var command = new Command("rename", "Give an environment a new name") { env, newName };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var m = RenameOperation.Run(context.Engine, parse.GetValue(env)!, parse.GetValue(newName)!);
                context.Out.WriteLine($"renamed {m.ShortId} to {m.Name}");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
