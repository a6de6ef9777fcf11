using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Check what this host offers the backends");
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var checks = DoctorOperation.Run();
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonArray([.. checks.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Name, ["ok"] = c.Ok, ["detail"] = c.Detail })]));
                }
                else
                {
                    TextTable.Write(context.Out, ["CHECK", "OK", "DETAIL"], checks.Select(c => (IReadOnlyList<string>)[c.Name, c.Ok ? "yes" : "NO", c.Detail]));
                }

                return checks.All(c => c.Ok) ? ExitCodes.Success : ExitCodes.Failure;
            });
        });
        return command;
    }
}
