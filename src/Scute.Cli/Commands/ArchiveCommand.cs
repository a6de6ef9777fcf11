using System.CommandLine;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class ArchiveCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var command = new Command("archive", "Keep the environment (GC protects it) but allow no more entry") { env };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var m = StateChangeOperation.Archive(context.Engine, parse.GetValue(env)!);
                context.Out.WriteLine($"archived {m.ShortId}");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
