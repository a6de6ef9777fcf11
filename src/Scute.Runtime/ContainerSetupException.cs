namespace Scute.Runtime;

/// <summary>A failure while preparing the container, before the user's command runs (exit 125).</summary>
public sealed class ContainerSetupException : Exception
{
    public ContainerSetupException(string message, int errno = 0) : base(message) => Errno = errno;

    public ContainerSetupException(string message, Exception inner) : base(message, inner) { }

    public ContainerSetupException() { }

    public ContainerSetupException(string message) : base(message) { }

    public int Errno { get; }
}
