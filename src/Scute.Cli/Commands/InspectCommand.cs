using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Policy;
using Scute.Engine.Operations;

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
                var m = InspectOperation.Run(context.Engine, parse.GetValue(env)!);
                var limits = InspectOperation.Limits(m);
                var podman = InspectOperation.PodmanCommandLine(context.Engine, m);
                if (context.Json)
                {
                    var json = EnvironmentJson.From(m, full: true);
                    json["limits"] = new JsonArray([.. limits.Select(l => (JsonNode?)new JsonObject
                    {
                        ["name"] = l.Name, ["value"] = l.Value, ["enforced"] = l.Enforced, ["how"] = l.How,
                    })]);
                    if (podman is not null)
                    {
                        json["podman_command"] = podman;
                    }

                    JsonOut.Write(context.Out, json);
                    return ExitCodes.Success;
                }

                foreach (var (key, value) in EnvironmentJson.From(m, full: false))
                {
                    context.Out.WriteLine($"{key,-16} {value?.ToString() ?? "-"}");
                }

                context.Out.WriteLine("security:");
                SecuritySummary.Write(context.Out, SecurityContextJson.Parse(m.SecurityJson));
                context.Out.WriteLine("limits:");
                foreach (var l in limits)
                {
                    context.Out.WriteLine($"  {l.Name,-18} {l.Value}: {l.How}");
                }

                if (podman is not null)
                {
                    context.Out.WriteLine("podman command:");
                    context.Out.WriteLine($"  {podman}");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
