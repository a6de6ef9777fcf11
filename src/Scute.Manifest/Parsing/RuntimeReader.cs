namespace Scute.Manifest.Parsing;

/// <summary>[runtime] and [runtime.resource_limits].</summary>
internal static class RuntimeReader
{
    private static readonly string[] Backends = ["namespace", "oci", "podman", "mock"];
    private const string PositiveInteger = "a positive integer";

    public static RuntimeSection Read(TableReader? table)
    {
        if (table is null)
        {
            return new RuntimeSection { Backend = RuntimeSection.DefaultBackend, NetworkIsolation = false };
        }

        table.RejectUnknownKeys("backend", "network_isolation", "resource_limits");
        var backend = RuntimeSection.DefaultBackend;
        var backendEntry = table.Find("backend");
        if (backendEntry is not null)
        {
            var accepted = string.Join(", ", Backends);
            backend = table.ReadString(backendEntry, accepted).ToLowerInvariant();
            if (Array.IndexOf(Backends, backend) < 0)
            {
                throw table.Context.Error(backendEntry.Line, backendEntry.Path, $"unknown backend \"{backend}\"", accepted);
            }
        }

        var isolation = table.GetBool("network_isolation") ?? false;
        long? cpuShares = null;
        long? memory = null;
        var limits = table.GetTable("resource_limits");
        if (limits is not null)
        {
            limits.RejectUnknownKeys("cpu_shares", "memory_limit_mb");
            cpuShares = Positive(limits, "cpu_shares");
            memory = Positive(limits, "memory_limit_mb");
        }

        return new RuntimeSection { Backend = backend, NetworkIsolation = isolation, CpuShares = cpuShares, MemoryLimitMb = memory };
    }

    private static long? Positive(TableReader table, string key)
    {
        var value = table.GetInteger(key, PositiveInteger);
        if (value is <= 0)
        {
            var entry = table.Find(key)!;
            throw table.Context.Error(entry.Line, entry.Path, $"{value} is not positive", PositiveInteger);
        }

        return value;
    }
}
