using System.CommandLine;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Policy;

namespace Scute.Cli.Commands;

public static class InspectCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var command = new Command("inspect", "Show an environment's metadata and security context") { env };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var m = InspectOperation.Run(context.StoreRoot, parse.GetValue(env)!);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, EnvironmentJson.From(m, full: true));
                    return ExitCodes.Success;
                }

                foreach (var (key, value) in EnvironmentJson.From(m, full: false))
                {
                    context.Out.WriteLine($"{key,-16} {value?.ToString() ?? "-"}");
                }

                context.Out.WriteLine("security:");
                SecuritySummary.Write(context.Out, SecurityContextJson.Parse(m.SecurityJson));
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
