using System.CommandLine;
using Scute.Cli.Output;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class RestoreCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot digest (or a unique prefix of 6+ hex)" };
        var command = new Command("restore", "Replace the environment's changes with a snapshot (atomic swap)") { env, snapshot };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var restored = RestoreOperation.Run(context.Engine, parse.GetValue(env)!, parse.GetValue(snapshot)!);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, SnapshotJson.From(restored));
                }
                else
                {
                    context.Out.WriteLine($"restored {restored.Layer}");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
