using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// The strict profile (default seccomp filter, no capabilities, read-only root) still lets ordinary
/// tools work: git and python from this host, copied with their libraries into a folder image.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OrdinaryToolsTests
{
    private const string MakeRootfs = """
        set -e
        R=rootfs
        mkdir -p $R/bin $R/tmp $R/etc $R/usr/lib
        cp /bin/busybox $R/bin/
        for a in sh ls cat sort tar mkdir rm wc grep; do ln -s busybox $R/bin/$a; done
        copy() { for f in "$@"; do d=$R$(dirname "$f"); mkdir -p "$d"; cp -L "$f" "$d/"; done; }
        for b in /usr/bin/git /usr/bin/python3.11; do copy "$b"; copy $(ldd "$b" | grep -o '/[^ ]*'); done
        ln -s python3.11 $R/usr/bin/python3
        cp -r /usr/lib/python3.11 $R/usr/lib/
        rm -rf $R/usr/lib/python3.11/test $R/usr/lib/python3.11/idlelib $R/usr/lib/python3.11/tkinter
        for m in $R/usr/lib/python3.11/lib-dynload/*.so; do copy $(ldd "$m" | grep -o '/[^ ]*' | grep -v "^$R") 2>/dev/null || true; done
        """;

    [SkippableFact]
    public void Git_python_and_busybox_tools_run_under_the_default_profile()
    {
        Skip.IfNot(File.Exists("/usr/bin/git") && File.Exists("/usr/bin/python3.11") && File.Exists("/bin/busybox"),
            "needs /usr/bin/git, /usr/bin/python3.11 and /bin/busybox on the host to assemble the image");
        var s = new ScuteSession(TestUser.WithSubIds);
        var made = s.User.RunAs(["sh", "-c", MakeRootfs], s.Project);
        Assert.True(made.ExitCode == 0, made.ToString());
        var env = s.Build(Manifests.WithImage("./rootfs"));

        var r = s.Scute("exec", "--workdir", "/tmp", env, "--", "sh", "-c", """
            set -e
            grep Seccomp: /proc/self/status
            git init -q repo && cd repo
            echo hello > a.txt && git add a.txt
            git -c user.name=t -c user.email=t@example.org commit -q -m first
            git log --oneline | wc -l
            python3 -c 'import json, subprocess, hashlib, os; print(json.dumps({"sum": hashlib.sha256(b"x").hexdigest()[:8], "out": subprocess.run(["cat", "a.txt"], capture_output=True, text=True).stdout.strip(), "pid": os.getpid() > 1}))'
            mkdir -p d/e && ls d | sort && tar -cf /tmp/x.tar d && echo tar-ok
            """);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Seccomp:\t2", r.Stdout);
        Assert.Contains("{\"sum\": \"2d711642\", \"out\": \"hello\", \"pid\": true}", r.Stdout);
        Assert.Contains("tar-ok", r.Stdout);
    }
}
