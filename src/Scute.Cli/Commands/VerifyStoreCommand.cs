using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class VerifyStoreCommand
{
    public static Command Create()
    {
        var command = new Command("verify-store", "Re-hash every object, layer and metadata file and check the audit chain; name each corrupt item");
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var report = VerifyStoreOperation.Run(context.Engine);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["ok"] = report.Ok,
                        ["problems"] = new JsonArray([.. report.Problems.Select(p => (JsonNode?)new JsonObject
                        {
                            ["kind"] = p.Kind,
                            ["path"] = p.Path,
                            ["detail"] = p.Detail,
                        })]),
                        ["objects"] = report.Objects,
                        ["layers"] = report.Layers,
                        ["environments"] = report.Environments,
                        ["audit_records"] = report.AuditRecords,
                    });
                }
                else if (report.Ok)
                {
                    context.Out.WriteLine($"store ok: {report.Objects} objects, {report.Layers} layers, {report.Environments} environments, {report.AuditRecords} audit records");
                }
                else
                {
                    foreach (var p in report.Problems)
                    {
                        context.Out.WriteLine($"{p.Kind} {p.Path}: {p.Detail}");
                    }
                }

                if (report.Ok)
                {
                    return ExitCodes.Success;
                }

                context.Err.WriteLine($"scute: the store has {report.Problems.Count} problem(s)");
                return ExitCodes.StoreIntegrity;
            });
        });
        return command;
    }
}
