using System.CommandLine;
using Scute.Engine;
using Scute.Images;
using Scute.Manifest;
using Scute.Policy;
using Scute.Runtime;
using Scute.Store;

namespace Scute.Cli.Tests;

public sealed class ErrorReporterTests
{
    public static TheoryData<Exception, int> Known() => new()
    {
        { new ManifestException("/tmp/x/scute.toml", 3, "base.image", "empty image", "an image"), 2 },
        { new PolicyViolationException("security.user = 0"), 2 },
        { new ImageReferenceException("builtin:x", "unknown builtin"), 2 },
        { new Scute.Images.Trust.ImageTrustException("refused by signature policy scope default of /etc/containers/policy.json (reject)"), 2 },
        { new StoreException("store/version is missing"), 3 },
        { new StoreCorruptionException("object digest mismatch"), 3 },
        { new ContentDigestMismatchException("registry blob", Digest.Compute("a"u8), Digest.Compute("b"u8)), 3 },
        { new EngineException("no environment"), 1 },
        { new ImageException("no such file"), 1 },
        { new ContainerSetupException("cannot mount"), 125 },
        { new IOException("disk full"), 1 },
    };

    [Theory]
    [MemberData(nameof(Known))]
    public void Known_exceptions_map_to_their_exit_codes(Exception e, int code)
    {
        Assert.Equal(code, ErrorReporter.Classify(e));
    }

    [Fact]
    public void Unexpected_exceptions_are_not_classified()
    {
        Assert.Null(ErrorReporter.Classify(new NullReferenceException()));
        Assert.Null(ErrorReporter.Classify(new InvalidOperationException()));
        Assert.Null(ErrorReporter.Classify(new ArgumentException("x")));
    }

    private static (int Code, string Err) RunAction(Func<int> action, bool execStyle, params string[] args)
    {
        var root = new RootCommand();
        GlobalOptions.AddTo(root);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CommandContext(root.Parse(args), stdout, stderr);
        var code = ErrorReporter.Run(context, action, execStyle);
        return (code, stderr.ToString());
    }

    private static int Throw(Exception e) => throw e;

    [Fact]
    public void Unexpected_exception_is_one_internal_error_line_without_trace()
    {
        var (code, err) = RunAction(() => Throw(new NullReferenceException("Object reference not set")), execStyle: false);

        Assert.Equal(1, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("scute: internal error: ", line, StringComparison.Ordinal);
        Assert.Contains("--trace", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_shows_the_stack_trace()
    {
        var (code, err) = RunAction(() => Throw(new NullReferenceException("Object reference not set")), execStyle: false, "--trace");

        Assert.Equal(1, code);
        Assert.StartsWith("scute: internal error: ", err, StringComparison.Ordinal);
        Assert.Contains("System.NullReferenceException", err, StringComparison.Ordinal);
        Assert.Contains("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_error_is_one_line_without_internal_prefix()
    {
        var (code, err) = RunAction(() => Throw(new EngineException("no environment 'x'\nsecond line")), execStyle: false);

        Assert.Equal(1, code);
        Assert.Equal("scute: no environment 'x' second line", err.TrimEnd('\n'));
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 125)]
    public void Exec_style_turns_every_scute_failure_into_125(bool execStyle, int expected)
    {
        var (code, _) = RunAction(() => Throw(new PolicyViolationException("nope")), execStyle);

        Assert.Equal(expected, code);
    }

    [Fact]
    public void Success_passes_the_action_code_through()
    {
        Assert.Equal(42, RunAction(() => 42, execStyle: true).Code);
    }
}
