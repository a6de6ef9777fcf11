using System.Runtime.CompilerServices;
using Scute.Core.Interop;

namespace Scute.Runtime.Interop;

/// <summary>The runtime's typed check of a libc call (the calls themselves are in <see cref="Libc"/>).</summary>
internal static class SyscallCheck
{
    /// <summary>Throws a one-line error naming the operation and errno when a syscall fails.</summary>
    public static void Check(int rc, string what)
    {
        if (rc < 0)
        {
            Fail(what);
        }
    }

    /// <summary>
    /// The same, with the message formatted only when the call failed: the container's set-up
    /// makes a hundred checked calls per start, nearly all of which succeed.
    /// </summary>
    public static void Check(int rc, [InterpolatedStringHandlerArgument(nameof(rc))] ref FailureMessage what)
    {
        if (rc < 0)
        {
            Fail(what.ToStringAndClear());
        }
    }

    private static void Fail(string what)
    {
        var errno = Libc.Errno;
        throw new ContainerSetupException($"{what}: {Libc.Describe(errno)}", errno);
    }

    /// <summary>Builds its text only when the checked call returned a negative value.</summary>
    [InterpolatedStringHandler]
    public ref struct FailureMessage
    {
        private DefaultInterpolatedStringHandler _inner;

        public FailureMessage(int literalLength, int formattedCount, int rc, out bool shouldAppend)
        {
            shouldAppend = rc < 0;
            _inner = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        }

        public void AppendLiteral(string value) => _inner.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

        public string ToStringAndClear() => _inner.ToStringAndClear();
    }
}
