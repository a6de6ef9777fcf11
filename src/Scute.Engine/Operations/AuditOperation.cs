using System.Text;
using Scute.Manifest;
using Scute.Policy;
using Scute.Policy.Audit;
using Scute.Runtime;
using Scute.Store;

namespace Scute.Engine.Operations;

/// <summary>What scute audit shows: the records (of one environment, or all) and the first broken line, if any.</summary>
public sealed record AuditListing(string LogPath, IReadOnlyList<AuditRecord> Records, AuditChainBreak? Break);

/// <summary>The audit trail of DESIGN §2.5: written by build, read by scute audit.</summary>
public static class AuditOperation
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public static string LogPath(StoreLayout layout) => AuditLog.PathIn(layout.AuditDir);

    /// <summary>sha256 of the canonical manifest JSON, as recorded in each record.</summary>
    public static string ManifestDigest(EnvironmentManifest manifest) =>
        Digest.Compute(Encoding.UTF8.GetBytes(CanonicalManifest.ToJson(manifest))).ToString();

    /// <summary>
    /// Appends the build's overrides, capabilities and dev relaxations. The caller holds the
    /// store lock and has validated the manifest; a rebuild of the same manifest adds nothing.
    /// </summary>
    public static IReadOnlyList<AuditRecord> RecordBuild(ScuteStore store, string envId, EnvironmentManifest manifest, EffectiveSecurityContext security, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entries = AuditEntries.For(security, manifest);
        if (entries.Count == 0)
        {
            return [];
        }

        var stamp = new AuditStamp(now, CurrentUser(), envId, ManifestDigest(manifest));
        try
        {
            return AuditLog.Append(LogPath(store.Layout), entries, stamp);
        }
        catch (AuditLogException e)
        {
            throw new StoreCorruptionException(e.LogPath, $"the audit trail is broken at line {e.Line}: {e.Reason}; nothing can be recorded after it (see scute verify-store and docs/audit.md)", e);
        }
    }

    /// <summary>All records, or those of the environment named by env_id, short_id or name.</summary>
    public static AuditListing Run(EngineContext context, string? reference)
    {
        var layout = new StoreLayout(context.StoreRoot);
        if (!File.Exists(layout.VersionFile))
        {
            return reference is null
                ? new AuditListing(LogPath(layout), [], null)
                : throw new EngineException($"no store at {context.StoreRoot} yet (scute build creates it)");
        }

        var store = context.OpenStore();
        AuditChainReport report;
        using (store.LockForChange(store.Options.LockTimeout ?? LockTimeout))
        {
            report = AuditLog.Read(LogPath(layout));
        }

        if (reference is null)
        {
            return new AuditListing(LogPath(layout), report.Records, report.Break);
        }

        var envId = ResolveEnvId(store, reference, report.Records);
        return new AuditListing(LogPath(layout), [.. report.Records.Where(r => r.EnvId == envId)], report.Break);
    }

    private static string ResolveEnvId(ScuteStore store, string reference, IReadOnlyList<AuditRecord> records)
    {
        try
        {
            return EnvironmentFinder.Find(store, reference).EnvId;
        }
        catch (EngineException)
        {
            // A destroyed environment keeps its records: accept its full id or a 12+ prefix.
            var ids = records.Select(r => r.EnvId)
                .Where(id => id == reference || (reference.Length >= 12 && id.StartsWith(reference, StringComparison.Ordinal)))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (ids.Count == 1)
            {
                return ids[0];
            }

            throw;
        }
    }

    private static AuditUser CurrentUser() => new(Environment.UserName, UidInfo.EffectiveUid);
}
