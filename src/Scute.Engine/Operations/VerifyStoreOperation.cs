using Scute.Policy.Audit;
using Scute.Store;
using Scute.Store.Verification;

namespace Scute.Engine.Operations;

public sealed record VerifyStoreReport(IReadOnlyList<StoreProblem> Problems, int Objects, int Layers, int Environments, int AuditRecords)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// verify-store: under the store lock, the store's own verification (<see cref="StoreVerifier"/>)
/// and the audit chain. Keeps going past each problem.
/// </summary>
public static class VerifyStoreOperation
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public static VerifyStoreReport Run(EngineContext context)
    {
        var store = context.OpenExistingStore();
        using var storeLock = store.LockForChange(store.Options.LockTimeout ?? LockTimeout);
        var verified = StoreVerifier.Verify(store);
        var problems = verified.Problems.ToList();

        var logPath = AuditOperation.LogPath(store.Layout);
        var audit = AuditChainReport.Empty;
        StoreVerifier.Check(problems, "audit", logPath, () => audit = AuditLog.Read(logPath));
        if (audit.Break is { } broken)
        {
            problems.Add(new StoreProblem("audit", logPath, broken.ToString()));
        }

        return new VerifyStoreReport(problems, verified.Objects, verified.Layers, verified.Environments, audit.LineCount);
    }
}
