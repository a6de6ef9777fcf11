namespace Scute.Integration.Tests.Support;

/// <summary>The published scute binary the integration tests run: $SCUTE_BIN, else the repo's artifacts.</summary>
public static class ScuteBinary
{
    public static string Path
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("SCUTE_BIN");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
            {
                return fromEnv;
            }

            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Scute.slnx")))
            {
                dir = dir.Parent;
            }

            var candidate = dir is null ? null : System.IO.Path.Combine(dir.FullName, "artifacts", "scute", "scute");
            return candidate is not null && File.Exists(candidate)
                ? candidate
                : throw new InvalidOperationException("no published scute binary: run ./test.sh, or set SCUTE_BIN");
        }
    }
}
