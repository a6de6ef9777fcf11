using System.CommandLine;
using Scute.Cli.Output;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class CommitCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var message = new Option<string?>("--message", "-m") { Description = "A note kept with the snapshot" };
        var command = new Command("commit", "Record the environment's changes as a snapshot; prints its digest") { env, message };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var snapshot = CommitOperation.Run(context.Engine, parse.GetValue(env)!, parse.GetValue(message));
                if (context.Json)
                {
                    JsonOut.Write(context.Out, SnapshotJson.From(snapshot));
                }
                else
                {
                    context.Out.WriteLine(snapshot.Layer.ToString());
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
