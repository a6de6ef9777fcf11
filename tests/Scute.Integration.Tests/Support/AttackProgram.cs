namespace Scute.Integration.Tests.Support;

/// <summary>
/// The small static C programs under tests/attacks that the integration tests run inside an
/// environment as an adversary would. test.sh compiles each <c>tests/attacks/NAME.c</c> to
/// <c>$SCUTE_ATTACKS_DIR/NAME</c> (default /var/tmp/scute-test-bin/attacks); static, so they run
/// on busybox and any other base.
/// </summary>
public static class AttackProgram
{
    public static string Dir =>
        Environment.GetEnvironmentVariable("SCUTE_ATTACKS_DIR") is { Length: > 0 } d ? d : "/var/tmp/scute-test-bin/attacks";

    /// <summary>The compiled program's host path.</summary>
    public static string PathOf(string name)
    {
        var path = System.IO.Path.Combine(Dir, name);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"attack program {path} is missing: ./test.sh compiles tests/attacks/{name}.c (or set SCUTE_ATTACKS_DIR)");
    }

    /// <summary>Copies the program into the session's project folder as the user; returns its file name there.</summary>
    public static string CopyInto(ScuteSession session, string name)
    {
        ArgumentNullException.ThrowIfNull(session);
        var target = System.IO.Path.Combine(session.Project, name);
        var r = session.User.RunAs(["cp", PathOf(name), target]);
        return r.ExitCode == 0 ? name : throw new InvalidOperationException(r.ToString());
    }
}
