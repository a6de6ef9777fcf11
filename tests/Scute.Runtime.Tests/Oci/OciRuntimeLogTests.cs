using Scute.Runtime.Oci;

namespace Scute.Runtime.Tests.Oci;

public sealed class OciRuntimeLogTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Only_error_and_fatal_lines_count()
    {
        var log = dir.Write("runtime.log", """
            {"level":"warning","msg":"unable to get oom kill count","time":"2026-12-01T15:58:00Z"}
            not json at all
            {"level":"error","msg":"runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH","time":"x"}
            """);

        var errors = OciRuntimeLog.Errors(log);

        Assert.Equal(["runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH"], errors);
        Assert.Empty(OciRuntimeLog.Errors(Path.Combine(dir.Path, "absent.log")));
    }

    [Theory]
    [InlineData("runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH", 127)]
    [InlineData("runc create failed: unable to start container process: exec: \"/etc/passwd\": permission denied", 126)]
    [InlineData("runc create failed: unable to start container process: error during container init: error mounting \"proc\": operation not permitted", 125)]
    public void The_status_says_what_a_shell_would(string error, int status)
    {
        Assert.Equal(status, OciRuntimeLog.ExitCodeFor([error]));
    }
}
