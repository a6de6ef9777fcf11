using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class PolicyCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string?>("manifest") { Description = "Manifest file (default: scute.toml, else karapace.toml)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("policy", "Check a manifest against the profile and host policy and print the effective security context, without building") { manifest };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var (m, decision) = PolicyOperation.Run(parse.GetValue(manifest));
                var report = decision.Report;
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["manifest"] = m.SourcePath,
                        ["allowed"] = report.Allowed,
                        ["security"] = decision.Context.ToJson(),
                        ["checks"] = new JsonArray([.. report.Results.Select(r => (JsonNode?)new JsonObject
                        {
                            ["check"] = r.CheckId,
                            ["key"] = r.Key,
                            ["allowed"] = r.Allowed,
                            ["line"] = r.Line,
                            ["detail"] = r.Detail,
                        })]),
                    });
                }
                else
                {
                    context.Out.WriteLine($"effective security context of {m.SourcePath}:");
                    SecuritySummary.Write(context.Out, decision.Context);
                    context.Out.WriteLine();
                    TextTable.Write(context.Out, ["CHECK", "RESULT", "KEY", "DETAIL"], report.Results.Select(r =>
                        (IReadOnlyList<string>)[r.CheckId, r.Allowed ? "ok" : "REFUSED", r.Line is { } l ? $"{r.Key} (line {l})" : r.Key, r.Detail]));
                }

                if (!report.Allowed)
                {
                    context.Err.WriteLine($"scute: {m.SourcePath}: {report.Violations.Count()} policy violation(s)");
                    return ExitCodes.ManifestOrPolicy;
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
